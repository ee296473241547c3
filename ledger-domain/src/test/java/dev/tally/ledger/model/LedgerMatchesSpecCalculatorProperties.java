package dev.tally.ledger.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.model.LedgerFigures.InvoiceFigures;
import dev.tally.ledger.model.LedgerFigures.Outcome;
import dev.tally.ledger.model.LedgerFigures.StepOutcome;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;

/**
 * Goal: on generated scenarios, the ledger's figures equal exactly those of an independent
 * calculator of the spec: every answer, grant, accrual and journal balance, every invoice line
 * and figure to the cent, and the final balance. The number of scenarios is jqwik's default tries:
 * 1,000 (src/test/resources/junit-platform.properties); on demand
 * {@code mvn -B -pl ledger-domain test -Dtest=LedgerMatchesSpecCalculatorProperties -Djqwik.tries.default=10000}.
 * The run fails if the scenarios exercised a hard rule too rarely to have tested it.
 */
class LedgerMatchesSpecCalculatorProperties {

    /** The share of scenarios, in percent, that must exercise each rule of {@link #REQUIRED_RULES}. */
    static final int MIN_SCENARIOS_PERCENT = 5;
    /** Rules too easy to leave untested by chance: each names the coverage labels that count for it. */
    static final Map<String, List<String>> REQUIRED_RULES = Map.of(
            "late usage", List.of("late usage"),
            "negative accruals", List.of("negative accrual", "negative charge"),
            "a grant expiring", List.of("grant expired"));

    private static final AtomicInteger scenariosRun = new AtomicInteger();
    private static final Map<String, AtomicInteger> scenariosByRule = new ConcurrentHashMap<>();

    @Property(shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void ledgerFiguresEqualTheSpecCalculators(@ForAll("scenarios") Scenario scenario) {
        LedgerFigures expected = SpecCalculator.calculate(scenario);
        LedgerFigures actual = LedgerRun.run(scenario);
        collectStatistics(expected);
        countCoverage(expected);

        List<String> differences = new ArrayList<>();
        compareOutcomes(expected.outcomes(), actual.outcomes(), differences);
        compareMaps("grant remaining", expected.grantRemaining(), actual.grantRemaining(), false, differences);
        compare("creditBalance", expected.creditBalance(), actual.creditBalance(), differences);
        compareMaps("cumulative quantity", expected.quantities(), actual.quantities(), false, differences);
        compareMaps("accruals", expected.accruals(), actual.accruals(), false, differences);
        compareMaps("uncovered by period", expected.uncoveredByPeriod(), actual.uncoveredByPeriod(), true, differences);
        InvoiceComparison.compare(expected.invoices(), actual.invoices(), differences);
        compare("Σ invoice totals", sum(expected.invoices(), InvoiceFigures::total),
                sum(actual.invoices(), InvoiceFigures::total), differences);
        compare("Σ creditsApplied", sum(expected.invoices(), InvoiceFigures::creditsApplied),
                sum(actual.invoices(), InvoiceFigures::creditsApplied), differences);
        compare("unbilled", expected.unbilled(), actual.unbilled(), differences);
        compare("invoicedOutstanding", expected.invoicedOutstanding(), actual.invoicedOutstanding(), differences);
        compare("unappliedCash", expected.unappliedCash(), actual.unappliedCash(), differences);
        compare("amountDue", expected.amountDue(), actual.amountDue(), differences);
        compareMaps("journal balance", expected.journalBalances(), actual.journalBalances(), true, differences);
        assertThat(differences).as("figures that differ from the spec calculator's").isEmpty();

        // Spec section 2: a period's accruals add up to f(Q) of its cumulative quantity.
        actual.accruals().forEach((meterPeriod, accrued) -> assertThat(accrued).as("Σ accruals of %s", meterPeriod)
                .isEqualByComparingTo(SpecCalculator.priceOf(scenario.prices().stream()
                        .filter(price -> price.meter().equals(meterPeriod.meter())).findFirst().orElseThrow(),
                        actual.quantities().get(meterPeriod))));

        // Spec section 7: the journal sums to zero, credits equal Σ grant remainders, receivable what is owed.
        Map<String, BigDecimal> journal = actual.journalBalances();
        assertThat(journal.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)).as("the whole journal")
                .isEqualByComparingTo(BigDecimal.ZERO);
        BigDecimal creditsLiability = journal.getOrDefault("credits:" + scenario.accountId(), BigDecimal.ZERO).negate();
        assertThat(creditsLiability).as("credits ledger = Σ grant remainders").isEqualByComparingTo(actual.creditBalance());
        BigDecimal receivable = journal.getOrDefault("receivable:" + scenario.accountId(), BigDecimal.ZERO);
        assertThat(receivable).as("receivable ledger = unbilled + invoicedOutstanding − unappliedCash")
                .isEqualByComparingTo(actual.amountDue());
        assertThat(actual.amountDue()).as("amountDue = unbilled + invoicedOutstanding − unappliedCash")
                .isEqualByComparingTo(actual.unbilled().add(actual.invoicedOutstanding()).subtract(actual.unappliedCash()));

        // Spec section 5: documents are in cents; a line is its exact amount rounded half up.
        for (InvoiceFigures invoice : actual.invoices()) {
            assertThat(invoice.subtotal().scale()).as("subtotal of %s in cents", invoice.invoiceId()).isLessThanOrEqualTo(2);
            assertThat(invoice.total().scale()).as("total of %s in cents", invoice.invoiceId()).isLessThanOrEqualTo(2);
            invoice.lines().forEach(line -> assertThat(line.amount()).as("line %s", line)
                    .isEqualByComparingTo(line.exactAmount().setScale(2, RoundingMode.HALF_UP)));
        }
    }

    private static void countCoverage(LedgerFigures expected) {
        scenariosRun.incrementAndGet();
        REQUIRED_RULES.forEach((rule, labels) -> {
            if (labels.stream().anyMatch(expected.coverage()::containsKey)) {
                scenariosByRule.computeIfAbsent(rule, any -> new AtomicInteger()).incrementAndGet();
            }
        });
    }

    @AfterContainer
    static void eachHardRuleWasExercisedOften() {
        int scenarios = scenariosRun.get();
        System.out.println("spec calculator: " + scenarios + " scenarios; with each hard rule: " + scenariosByRule);
        assertThat(scenarios).as("scenarios run").isPositive();
        REQUIRED_RULES.keySet().forEach(rule -> {
            int exercised = scenariosByRule.getOrDefault(rule, new AtomicInteger()).get();
            assertThat(exercised * 100L).as("scenarios with %s: %d of %d, at least %d%% required", rule, exercised,
                    scenarios, MIN_SCENARIOS_PERCENT).isGreaterThanOrEqualTo((long) MIN_SCENARIOS_PERCENT * scenarios);
        });
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return ScenarioGenerator.scenarios();
    }

    private static void compareOutcomes(List<StepOutcome> expected, List<StepOutcome> actual, List<String> differences) {
        if (expected.size() != actual.size()) {
            differences.add("answers: expected " + expected + " but the ledger gave " + actual);
            return;
        }
        for (int index = 0; index < expected.size(); index++) {
            StepOutcome want = expected.get(index);
            StepOutcome got = actual.get(index);
            boolean same = want.exact()
                    ? want.outcome() == got.outcome()
                    : (want.outcome() == Outcome.ACCEPTED) == (got.outcome() == Outcome.ACCEPTED);
            if (!same || !want.request().equals(got.request())) {
                differences.add("answer #" + index + ": expected " + want + " but the ledger gave " + got);
            }
        }
    }

    /** Compares two maps key by key; where {@code absentIsZero}, a missing entry counts as zero. */
    private static <K> void compareMaps(String figure, Map<K, BigDecimal> expected, Map<K, BigDecimal> actual,
                                        boolean absentIsZero, List<String> differences) {
        TreeSet<String> keys = new TreeSet<>();
        Map<String, K> byName = new java.util.HashMap<>();
        for (K key : expected.keySet()) {
            keys.add(key.toString());
            byName.put(key.toString(), key);
        }
        for (K key : actual.keySet()) {
            keys.add(key.toString());
            byName.put(key.toString(), key);
        }
        for (String name : keys) {
            K key = byName.get(name);
            BigDecimal want = expected.get(key);
            BigDecimal got = actual.get(key);
            if (absentIsZero) {
                want = want == null ? BigDecimal.ZERO : want;
                got = got == null ? BigDecimal.ZERO : got;
            }
            if (want == null || got == null || want.compareTo(got) != 0) {
                differences.add(figure + " " + name + ": expected " + plain(want) + " but the ledger has " + plain(got));
            }
        }
    }

    private static BigDecimal sum(List<InvoiceFigures> invoices, Function<InvoiceFigures, BigDecimal> figure) {
        return invoices.stream().map(figure).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    static void compare(String figure, BigDecimal expected, BigDecimal actual, List<String> differences) {
        if (expected.compareTo(actual) != 0) {
            differences.add(figure + ": expected " + plain(expected) + " but the ledger has " + plain(actual));
        }
    }

    private static String plain(BigDecimal value) {
        return value == null ? "nothing" : value.toPlainString();
    }

    /** Shows in the report how much of the interesting ground the generated scenarios covered. */
    private static void collectStatistics(LedgerFigures expected) {
        Map<Outcome, Long> answers = expected.outcomes().stream()
                .collect(Collectors.groupingBy(StepOutcome::outcome, Collectors.counting()));
        Statistics.label("requests accepted").collect(bucket(answers.getOrDefault(Outcome.ACCEPTED, 0L)));
        Statistics.label("requests rejected").collect(bucket(answers.getOrDefault(Outcome.REJECTED, 0L)));
        Statistics.label("requests duplicate").collect(bucket(answers.getOrDefault(Outcome.DUPLICATE, 0L)));
        Statistics.label("periods with usage").collect(
                expected.accruals().keySet().stream().map(LedgerFigures.MeterPeriod::periodStart).distinct().count());
        Statistics.label("invoices issued").collect(expected.invoices().size());
        Statistics.label("invoices with a total to pay").collect(
                expected.invoices().stream().filter(invoice -> invoice.total().signum() > 0).count());
        Statistics.label("invoices voided").collect(
                expected.invoices().stream().filter(InvoiceFigures::voided).count());
        Statistics.label("invoices paid in full by the end").collect(expected.invoices().stream()
                .filter(invoice -> !invoice.voided() && invoice.total().signum() > 0
                        && invoice.paid().compareTo(invoice.total()) == 0).count());
        expected.coverage().keySet().forEach(rule -> Statistics.label("rules exercised").collect(rule));
    }

    private static String bucket(long count) {
        return count == 0 ? "0" : count < 5 ? "1-4" : count < 20 ? "5-19" : "20+";
    }
}
