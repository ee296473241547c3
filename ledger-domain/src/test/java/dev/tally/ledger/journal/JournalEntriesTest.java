package dev.tally.ledger.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.charge.ChargeRecorded;
import dev.tally.ledger.api.credit.CreditBalanceDepleted;
import dev.tally.ledger.api.credit.CreditExpired;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditKind;
import dev.tally.ledger.api.credit.CreditMovement;
import dev.tally.ledger.api.credit.CreditVoided;
import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.credit.LowCreditBalance;
import dev.tally.ledger.api.journal.LedgerAccounts;
import dev.tally.ledger.api.journal.Posting;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

// Goal: every monetary event posts a balanced entry, and the spec's section 7 examples post exactly those lines.
class JournalEntriesTest {

    private static final String ACME = "acme";
    private static final Instant MARCH = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant TS = Instant.parse("2026-03-09T10:00:00Z");

    @Test
    void canPostAPrepaidGrantPaidByCardAsCashIntoCredits() {
        assertThat(lines(granted("g1", "100", CreditKind.PREPAID)))
                .containsExactly("Dr cash 100", "Cr credits:acme 100");
    }

    @Test
    void canPostAPromotionalGrantAsAPromotionExpense() {
        assertThat(lines(granted("g2", "20", CreditKind.PROMOTIONAL)))
                .containsExactly("Dr promotions 20", "Cr credits:acme 20");
    }

    @Test
    void canPostAUsageAccrualPartlyFundedByCredit() {
        UsageRecorded accrual = usage("gpu_seconds", "3", new Funding(List.of(movement("g1", "2")), List.of(), usd("1")));
        assertThat(lines(accrual))
                .containsExactly("Dr credits:acme 2", "Dr receivable:acme 1", "Cr revenue:usage:gpu_seconds 3");
    }

    @Test
    void canPostABatchOfUsageAsItsUsageEventsPostingsSummedPerLedgerAccountAndSide() {
        UsageRecorded funded = usage("gpu_seconds", "3", new Funding(List.of(movement("g1", "2")), List.of(), usd("1")));
        UsageRecorded uncovered = usage("tokens", "0.25", new Funding(List.of(), List.of(), usd("0.25")));
        UsageRecorded restoring = usage("tokens", "-4", new Funding(List.of(), List.of(movement("g1", "3")), usd("-1")));
        UsageBatchRecorded batch = new UsageBatchRecorded(ACME, List.of(funded, uncovered, restoring));

        // Debits and credits of one ledger account stay apart: receivable is debited 1.25 and credited 1.
        assertThat(lines(batch)).containsExactly("Dr credits:acme 2", "Dr receivable:acme 1.25",
                "Cr revenue:usage:gpu_seconds 3", "Cr revenue:usage:tokens 0.25", "Dr revenue:usage:tokens 4",
                "Cr credits:acme 3", "Cr receivable:acme 1");
        assertThat(JournalEntries.postingsFor(batch)).extracting(Posting::description).containsExactly(
                "usage gpu_seconds (1 event)", "usage (2 events)", "usage gpu_seconds (1 event)",
                "usage tokens (1 event)", "usage tokens (1 event)", "usage tokens (1 event)", "usage tokens (1 event)");
        List<Posting> separately = new ArrayList<>();
        for (UsageRecorded usage : batch.usages()) {
            separately.addAll(JournalEntries.postingsFor(usage));
        }
        List<Posting> summed = JournalEntries.postingsFor(batch);
        assertThat(sum(summed, true)).isEqualByComparingTo(sum(summed, false)).isEqualByComparingTo(sum(separately, true));
    }

    @Test
    void canPostAPaymentAsCashAgainstTheReceivable() {
        PaymentRecorded payment = new PaymentRecorded(ACME, "p1", usd("50"), "card", "pi_123", usd("50"), TS);
        assertThat(lines(payment)).containsExactly("Dr cash 50", "Cr receivable:acme 50");
    }

    @Test
    void canPostAnExpiredPromotionalRemainderBackToPromotions() {
        CreditExpired expiry = new CreditExpired(ACME, "g2", CreditKind.PROMOTIONAL, usd("5"), TS, TS);
        assertThat(lines(expiry)).containsExactly("Dr credits:acme 5", "Cr promotions 5");
    }

    @Test
    void canPostAnExpiredPrepaidRemainderAsBreakage() {
        CreditExpired expiry = new CreditExpired(ACME, "g1", CreditKind.PREPAID, usd("5"), TS, TS);
        assertThat(lines(expiry)).containsExactly("Dr credits:acme 5", "Cr breakage 5");
    }

    @Test
    void canPostAVoidLikeAnExpiry() {
        assertThat(lines(new CreditVoided(ACME, "g1", CreditKind.PREPAID, usd("7.25"), "entered twice", TS)))
                .containsExactly("Dr credits:acme 7.25", "Cr breakage 7.25");
        assertThat(lines(new CreditVoided(ACME, "g2", CreditKind.PROMOTIONAL, usd("3"), "cancelled", TS)))
                .containsExactly("Dr credits:acme 3", "Cr promotions 3");
    }

    @Test
    void canPostANegativeAccrualAsRevenueReversedIntoCreditsAndReceivable() {
        UsageRecorded restoring = usage("tokens", "-4",
                new Funding(List.of(), List.of(movement("g1", "3")), usd("-1")));
        assertThat(lines(restoring))
                .containsExactly("Dr revenue:usage:tokens 4", "Cr credits:acme 3", "Cr receivable:acme 1");
        UsageRecorded belowZero = usage("tokens", "-4", new Funding(List.of(), List.of(), usd("-4")));
        assertThat(lines(belowZero)).containsExactly("Dr revenue:usage:tokens 4", "Cr receivable:acme 4");
    }

    @Test
    void canMoveTheLateUsageTheMinimumCoveredFromFeesToUsageRevenue() {
        // Spec section 5: after a true-up of 50.00, late usage of 32.14 is covered whole, a further 30.00 up to 17.86.
        UsageRecorded coveredWhole = lateUsage("32.14", "32.14", Funding.none("USD"));
        assertThat(lines(coveredWhole)).containsExactly("Dr revenue:fees 32.14", "Cr revenue:usage:gpu_seconds 32.14");
        UsageRecorded coveredInPart = lateUsage("30.00", "17.86",
                new Funding(List.of(movement("g1", "2.14")), List.of(), usd("10.00")));
        assertThat(lines(coveredInPart)).containsExactly("Dr revenue:fees 17.86", "Dr credits:acme 2.14",
                "Dr receivable:acme 10", "Cr revenue:usage:gpu_seconds 30");
        assertThat(JournalEntries.postingsFor(coveredInPart).get(0).description())
                .isEqualTo("usage gpu_seconds (late-gpu_seconds) covered by the minimum commitment");
        // A negative late accrual gives back the billed part first, the rest back to fees.
        UsageRecorded givenBack = lateUsage("-20.00", "-7.86", new Funding(List.of(), List.of(), usd("-12.14")));
        assertThat(lines(givenBack)).containsExactly("Dr revenue:usage:gpu_seconds 20", "Cr revenue:fees 7.86",
                "Cr receivable:acme 12.14");
        for (UsageRecorded late : List.of(coveredWhole, coveredInPart, givenBack)) {
            List<Posting> postings = JournalEntries.postingsFor(late);
            assertThat(sum(postings, true)).as("balanced").isEqualByComparingTo(sum(postings, false));
        }
    }

    @Test
    void canPostChargesAndAdjustmentsToFees() {
        ChargeRecorded charge = new ChargeRecorded(ACME, "c1", usd("15"), "Onboarding", TS, MARCH,
                new Funding(List.of(movement("g1", "10")), List.of(), usd("5")), TS);
        assertThat(lines(charge)).containsExactly("Dr credits:acme 10", "Dr receivable:acme 5", "Cr revenue:fees 15");
        ChargeRecorded adjustment = new ChargeRecorded(ACME, "c2", usd("-5"), "Goodwill", TS, MARCH,
                new Funding(List.of(), List.of(), usd("-5")), TS);
        assertThat(lines(adjustment)).containsExactly("Dr revenue:fees 5", "Cr receivable:acme 5");
    }

    @Test
    void canPostARefundAsCashLeavingAgainstTheReceivable() {
        PaymentRefunded refund = new PaymentRefunded(ACME, "r1", "p1", usd("20"), usd("20"), TS);
        assertThat(lines(refund)).containsExactly("Dr receivable:acme 20", "Cr cash 20");
    }

    @Test
    void cannotPostZeroLinesOrEntriesForEventsThatMoveNoMoney() {
        assertThat(JournalEntries.postingsFor(usage("exports", "0", Funding.none("USD")))).isEmpty();
        assertThat(JournalEntries.postingsFor(new CreditVoided(ACME, "g1", CreditKind.PREPAID, usd("0"), "empty", TS)))
                .isEmpty();
        assertThat(lines(usage("gpu_seconds", "2", new Funding(List.of(movement("g1", "2")), List.of(), usd("0")))))
                .containsExactly("Dr credits:acme 2", "Cr revenue:usage:gpu_seconds 2");
        for (Object silent : List.of(
                new AccountOpened(ACME, "Acme Inc", "USD", "inference", 1, MARCH, null, null, TS),
                new CreditBalanceDepleted(ACME, TS),
                new LowCreditBalance(ACME, usd("4"), usd("5"), TS))) {
            assertThat(JournalEntries.postingsFor(silent)).as(silent.getClass().getSimpleName()).isEmpty();
        }
    }

    @Test
    void canBalanceEveryMonetaryEvent() {
        List<Object> events = List.of(
                granted("g1", "100", CreditKind.PREPAID),
                granted("g2", "20.123456789012", CreditKind.PROMOTIONAL),
                usage("gpu_seconds", "3.000000000001",
                        new Funding(List.of(movement("g2", "2.5"), movement("g1", "0.000000000001")), List.of(), usd("0.5"))),
                usage("tokens", "-4.5", new Funding(List.of(), List.of(movement("g1", "1.25"), movement("g2", "0.25")),
                        usd("-3"))),
                lateUsage("30.000000000001", "17.86", new Funding(List.of(movement("g1", "2")), List.of(),
                        usd("10.140000000001"))),
                new ChargeRecorded(ACME, "c1", usd("15"), "Onboarding", TS, MARCH,
                        new Funding(List.of(movement("g1", "15")), List.of(), usd("0")), TS),
                new ChargeRecorded(ACME, "c2", usd("-2"), "Goodwill", TS, MARCH,
                        new Funding(List.of(), List.of(movement("g1", "1.5")), usd("-0.5")), TS),
                new CreditExpired(ACME, "g2", CreditKind.PROMOTIONAL, usd("17.873456789012"), TS, TS),
                new CreditVoided(ACME, "g1", CreditKind.PREPAID, usd("87.749999999999"), "closing", TS),
                new PaymentRecorded(ACME, "p1", usd("50"), "card", null, usd("50"), TS),
                new PaymentRefunded(ACME, "r1", "p1", usd("12.34"), usd("12.34"), TS));
        for (Object event : events) {
            List<Posting> postings = JournalEntries.postingsFor(event);
            String name = event.getClass().getSimpleName();
            assertThat(postings).as(name).isNotEmpty();
            assertThat(sum(postings, true)).as(name + ": Σ debit = Σ credit").isEqualByComparingTo(sum(postings, false));
            for (Posting posting : postings) {
                assertThat(posting.debit().isZero() != posting.credit().isZero()).as(name + ": one side per line").isTrue();
                assertThat(posting.debit().isNegative() || posting.credit().isNegative()).as(name + ": no negative side")
                        .isFalse();
                assertThat(posting.debit().currency()).isEqualTo("USD");
                assertThat(posting.credit().currency()).isEqualTo("USD");
            }
        }
    }

    @Test
    void canKeepTheCreditsAccountEqualToTheSumOfGrantRemainders() {
        // Grants g1 (prepaid 100) and g2 (promotional 20); the right column is Σ remainders after each event.
        Map<Object, String> eventsAndRemainders = new LinkedHashMap<>();
        eventsAndRemainders.put(granted("g1", "100", CreditKind.PREPAID), "100");
        eventsAndRemainders.put(granted("g2", "20", CreditKind.PROMOTIONAL), "120");
        eventsAndRemainders.put(usage("gpu_seconds", "30",
                new Funding(List.of(movement("g2", "20"), movement("g1", "10")), List.of(), usd("0"))), "90");
        eventsAndRemainders.put(usage("tokens", "-4", new Funding(List.of(), List.of(movement("g1", "4")), usd("0"))), "94");
        eventsAndRemainders.put(new ChargeRecorded(ACME, "c1", usd("100"), "Setup", TS, MARCH,
                new Funding(List.of(movement("g1", "94")), List.of(), usd("6")), TS), "0");
        eventsAndRemainders.put(new CreditExpired(ACME, "g2", CreditKind.PROMOTIONAL, usd("0"), TS, TS), "0");
        eventsAndRemainders.put(new PaymentRecorded(ACME, "p1", usd("6"), "card", null, usd("6"), TS), "0");

        Map<String, BigDecimal> balances = new LinkedHashMap<>();
        eventsAndRemainders.forEach((event, remainders) -> {
            for (Posting posting : JournalEntries.postingsFor(event)) {
                balances.merge(posting.ledgerAccount(), posting.debit().amount().subtract(posting.credit().amount()),
                        BigDecimal::add);
            }
            BigDecimal creditLiability = balances.getOrDefault(LedgerAccounts.credits(ACME), BigDecimal.ZERO).negate();
            assertThat(creditLiability).as("credits after %s", event.getClass().getSimpleName())
                    .isEqualByComparingTo(remainders);
        });
        assertThat(balances.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo("0");
        // 6 uncovered, then paid: the receivable is settled
        assertThat(balances.get(LedgerAccounts.receivable(ACME))).isEqualByComparingTo("0");
        assertThat(balances.get(LedgerAccounts.usageRevenue("gpu_seconds"))).isEqualByComparingTo("-30");
        assertThat(balances.get(LedgerAccounts.REVENUE_FEES)).isEqualByComparingTo("-100");
    }

    // ---- vocabulary ----------------------------------------------------------------------------

    /** Postings as "Dr account amount" / "Cr account amount", amounts without trailing zeros. */
    private static List<String> lines(Object event) {
        return JournalEntries.postingsFor(event).stream().map(posting -> posting.debit().isZero()
                ? "Cr " + posting.ledgerAccount() + " " + plain(posting.credit())
                : "Dr " + posting.ledgerAccount() + " " + plain(posting.debit())).toList();
    }

    private static String plain(Money money) {
        return money.normalized().amount().toPlainString();
    }

    private static BigDecimal sum(List<Posting> postings, boolean debits) {
        return postings.stream().map(posting -> (debits ? posting.debit() : posting.credit()).amount())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static CreditGranted granted(String grantId, String amount, CreditKind kind) {
        return new CreditGranted(ACME, grantId, usd(amount), kind, MARCH, null, 100, null, MARCH);
    }

    private static UsageRecorded usage(String meter, String accrual, Funding funding) {
        return new UsageRecorded(ACME, "u-" + meter, meter, BigDecimal.ONE, TS, Map.of(), MARCH, "inference", 1,
                BigDecimal.ONE, usd(accrual), funding, false, TS);
    }

    /** Late usage of gpu_seconds: {@code accrual}, of which {@code covered} the period's true-up already paid. */
    private static UsageRecorded lateUsage(String accrual, String covered, Funding funding) {
        return new UsageRecorded(ACME, "late-gpu_seconds", "gpu_seconds", BigDecimal.ONE, TS, Map.of(), MARCH,
                "inference", 1, BigDecimal.ONE, usd(accrual), usd(covered), funding, true, TS);
    }

    private static CreditMovement movement(String grantId, String amount) {
        return new CreditMovement(grantId, usd(amount));
    }

    private static Money usd(String amount) {
        return Money.of("USD", amount);
    }
}
