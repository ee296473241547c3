package dev.tally.ledger.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

// Goal: every control character and unpaired surrogate is refused, with its position; descriptions keep lines and tabs.
class TextRulesTest {

    @Test
    void canStoreUnicodeTextWithPairedSurrogates() {
        assertThat(TextRules.violation("Ünïcødé 日本 \uD83D\uDE80 ok", TextRules.Lines.SINGLE)).isEmpty();
    }

    @Test
    void cannotStoreAnyControlCharacter() {
        for (char c = 0; c < 0x20; c++) {
            assertThat(TextRules.violation("a" + c + "b", TextRules.Lines.SINGLE)).as("U+%04X", (int) c)
                    .contains(String.format("holds the control character U+%04X at index 1", (int) c));
        }
        assertThat(TextRules.violation("a\u007F", TextRules.Lines.SINGLE))
                .contains("holds the control character U+007F at index 1");
        assertThat(TextRules.isStorable("a\u0000b")).isFalse();
    }

    @Test
    void descriptionsMayHoldLineFeedsAndTabsButNotCarriageReturns() {
        assertThat(TextRules.violation("line one\n\tline two", TextRules.Lines.MULTIPLE)).isEmpty();
        assertThat(TextRules.violation("line one\n", TextRules.Lines.SINGLE)).isPresent();
        assertThat(TextRules.violation("a\rb", TextRules.Lines.MULTIPLE))
                .contains("holds the control character U+000D at index 1");
    }

    @Test
    void cannotStoreUnpairedSurrogates() {
        assertThat(TextRules.violation("a\uD83D", TextRules.Lines.SINGLE)).contains("holds an unpaired surrogate at index 1");
        assertThat(TextRules.violation("\uDE80a", TextRules.Lines.SINGLE)).contains("holds an unpaired surrogate at index 0");
        assertThat(TextRules.violation("\uD83Dx\uDE80", TextRules.Lines.SINGLE)).contains("holds an unpaired surrogate at index 0");
    }

    @Test
    void onlyNulAndUnpairedSurrogatesAreUnrepresentable() {
        assertThat(TextRules.isRepresentable("line\r\nnext \u001b \uD83D\uDE80")).isTrue();
        assertThat(TextRules.isRepresentable("a\u0000")).isFalse();
        assertThat(TextRules.isRepresentable("a\uD83D")).isFalse();
        assertThat(TextRules.isRepresentable("\uDE80")).isFalse();
    }
}
