package dev.tally.ledger.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.api.usage.UsageOutcome;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeDiagnosingMatcher;

/**
 * Hamcrest matchers for Axon fixtures. Amounts are compared by value ({@code 2.50} equals
 * {@code 2.5}), because the ledger promises exact figures, not a particular decimal scale; every
 * other field must be equal. Rejections are matched on their stable code, not their wording.
 */
public final class LedgerMatchers {

    private static final RecursiveComparisonConfiguration BY_VALUE = RecursiveComparisonConfiguration.builder()
            .withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
            .withStrictTypeChecking(true)
            .build();

    private LedgerMatchers() {
    }

    /** Exactly these event payloads, in this order, amounts compared by value. */
    public static Matcher<List<EventMessage<?>>> exactly(Object... expectedPayloads) {
        List<Object> expected = Arrays.asList(expectedPayloads);
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(List<EventMessage<?>> events, Description mismatch) {
                List<Object> actual = events.stream().map(event -> (Object) event.getPayload()).toList();
                try {
                    assertSameByValue(actual, expected);
                    return true;
                } catch (AssertionError difference) {
                    mismatch.appendText(difference.getMessage());
                    return false;
                }
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("exactly the events ").appendValue(expected);
            }
        };
    }

    /** Asserts that two lists of records are equal field by field, amounts compared by value. */
    public static void assertSameByValue(List<?> actual, List<?> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int index = 0; index < expected.size(); index++) {
            assertThat(actual.get(index)).as("element %d", index)
                    .usingRecursiveComparison(BY_VALUE).isEqualTo(expected.get(index));
        }
    }

    public static Matcher<CommandOutcome> accepted() {
        return outcome(CommandOutcome.Status.ACCEPTED, null);
    }

    public static Matcher<CommandOutcome> duplicate() {
        return outcome(CommandOutcome.Status.DUPLICATE, null);
    }

    public static Matcher<CommandOutcome> rejectedWith(ErrorCode code) {
        return outcome(CommandOutcome.Status.REJECTED, code);
    }

    private static Matcher<CommandOutcome> outcome(CommandOutcome.Status status, ErrorCode code) {
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(CommandOutcome outcome, Description mismatch) {
                mismatch.appendValue(outcome);
                return outcome.status() == status && outcome.code() == code;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText(status + (code == null ? "" : " with " + code.code()));
            }
        };
    }

    /** Usage outcomes with these keys, statuses and codes, in order; the detail text is not compared. */
    public static Matcher<List<UsageOutcome>> usageOutcomes(UsageOutcome... expected) {
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(List<UsageOutcome> outcomes, Description mismatch) {
                mismatch.appendValue(outcomes);
                if (outcomes.size() != expected.length) {
                    return false;
                }
                for (int index = 0; index < expected.length; index++) {
                    UsageOutcome actual = outcomes.get(index);
                    UsageOutcome wanted = expected[index];
                    if (!Objects.equals(actual.idempotencyKey(), wanted.idempotencyKey())
                            || actual.status() != wanted.status() || actual.code() != wanted.code()) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public void describeTo(Description description) {
                description.appendValue(Arrays.asList(expected)).appendText(" (detail ignored)");
            }
        };
    }
}
