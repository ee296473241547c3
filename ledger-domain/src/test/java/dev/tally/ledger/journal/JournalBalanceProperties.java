package dev.tally.ledger.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.api.charge.ChargeRecorded;
import dev.tally.ledger.api.credit.CreditMovement;
import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.journal.LedgerAccounts;
import dev.tally.ledger.api.journal.Posting;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.usage.UsageRecorded;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

// Goal: whatever the funding split of an accrual or charge, its entry balances and moves each ledger account by exactly its share.
class JournalBalanceProperties {

    private static final String ACME = "acme";
    private static final Instant TS = Instant.parse("2026-03-09T10:00:00Z");
    private static final Instant MARCH = Instant.parse("2026-03-01T00:00:00Z");
    private static final BigDecimal SMALLEST = new BigDecimal("0.000000000001");

    @Property(tries = 500)
    void usageEntriesBalanceAndSplitAsFunded(@ForAll("fundings") Funding funding) {
        Money amount = amountOf(funding);
        UsageRecorded usage = new UsageRecorded(ACME, "u1", "gpu_seconds", BigDecimal.ONE, TS, Map.of(), MARCH,
                "inference", 1, BigDecimal.ONE, amount, funding, false, TS);
        assertBalancedAndSplit(JournalEntries.postingsFor(usage), LedgerAccounts.usageRevenue("gpu_seconds"), amount,
                funding);
    }

    @Property(tries = 500)
    void chargeEntriesBalanceAndSplitAsFunded(@ForAll("fundings") Funding funding) {
        Money amount = amountOf(funding);
        ChargeRecorded charge = new ChargeRecorded(ACME, "c1", amount, "charge", TS, MARCH, funding, TS);
        assertBalancedAndSplit(JournalEntries.postingsFor(charge), LedgerAccounts.REVENUE_FEES, amount, funding);
    }

    private static void assertBalancedAndSplit(List<Posting> postings, String revenueAccount, Money amount,
                                               Funding funding) {
        assertThat(net(postings, null)).as("Σ debit − Σ credit").isEqualByComparingTo("0");
        assertThat(net(postings, revenueAccount)).as("revenue").isEqualByComparingTo(amount.amount().negate());
        assertThat(net(postings, LedgerAccounts.credits(ACME))).as("credits")
                .isEqualByComparingTo(funding.netCreditUsed().amount());
        assertThat(net(postings, LedgerAccounts.receivable(ACME))).as("receivable")
                .isEqualByComparingTo(funding.uncoveredChange().amount());
        for (Posting posting : postings) {
            assertThat(posting.debit().isZero() != posting.credit().isZero()).as("one side per line").isTrue();
            assertThat(posting.debit().isNegative() || posting.credit().isNegative()).as("no negative side").isFalse();
        }
    }

    /** Net debit of one ledger account, or of the whole entry when {@code ledgerAccount} is null. */
    private static BigDecimal net(List<Posting> postings, String ledgerAccount) {
        return postings.stream().filter(posting -> ledgerAccount == null || posting.ledgerAccount().equals(ledgerAccount))
                .map(posting -> posting.debit().amount().subtract(posting.credit().amount()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** amount = Σ drawn − Σ restored + uncoveredChange (the invariant {@link Funding} documents). */
    private static Money amountOf(Funding funding) {
        return funding.totalDrawn().minus(funding.totalRestored()).plus(funding.uncoveredChange());
    }

    @Provide
    Arbitrary<Funding> fundings() {
        Arbitrary<Funding> positive = Combinators.combine(movements(), amounts().injectNull(0.3))
                .as((drawn, uncovered) -> new Funding(drawn, List.of(), usd(uncovered == null ? BigDecimal.ZERO : uncovered)));
        Arbitrary<Funding> negative = Combinators.combine(movements(), amounts().injectNull(0.3))
                .as((restored, reduced) -> new Funding(List.of(), restored,
                        usd(reduced == null ? BigDecimal.ZERO : reduced.negate())));
        return Arbitraries.oneOf(positive, negative);
    }

    private static Arbitrary<List<CreditMovement>> movements() {
        Arbitrary<CreditMovement> movement = Combinators.combine(Arbitraries.of("g1", "g2", "g3"), amounts())
                .as((grantId, amount) -> new CreditMovement(grantId, usd(amount)));
        return movement.list().ofMaxSize(5);
    }

    private static Arbitrary<BigDecimal> amounts() {
        return Arbitraries.bigDecimals().between(SMALLEST, new BigDecimal("100000")).ofScale(12);
    }

    private static Money usd(BigDecimal amount) {
        return Money.of("USD", amount);
    }
}
