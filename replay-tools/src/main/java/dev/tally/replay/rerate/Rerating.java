package dev.tally.replay.rerate;

import dev.tally.ledger.serialization.LedgerJson;
import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.credit.CreditBalanceDepleted;
import dev.tally.ledger.api.credit.LowCreditBalance;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.api.plan.PlanPublished;
import dev.tally.ledger.api.usage.UsageOutcome;
import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import dev.tally.ledger.api.usage.UsageStatus;
import dev.tally.ledger.calendar.BillingCalendar;
import dev.tally.ledger.calendar.BillingPeriod;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reruns an account's history up to the close of one billing period with the chosen plan in place
 * of its own for that period (the rule is {@link SubstitutedPlanCatalog}'s), and sets the invoice
 * that comes out beside the real one.
 *
 * <p>Every recorded event is turned back into the command that made it and sent, in ledger order, at
 * the instant the ledger handled it, to the domain's own {@code Account} aggregate in memory. So the
 * rerated figures come from the same rating, drawdown, minimum and rounding code as the real ones,
 * and under the account's own plan the re-run issues the real invoice again, line for line. Invoices
 * of earlier periods are re-issued too: one closed after the rerated period began can come out
 * differently, because the period's usage draws on the same credit; a note says so.
 *
 * <p>It reads the ledger in one read-only transaction and writes nothing to it.
 */
final class Rerating {

    private final Connection connection;

    Rerating(Connection connection) {
        this.connection = connection;
    }

    RerateReport rerate(String accountId, Instant periodStart, PlanSpec chosenPlan) throws SQLException {
        return ReadOnlyTransaction.run(connection, () -> rerateInTransaction(accountId, periodStart, chosenPlan));
    }

    private RerateReport rerateInTransaction(String accountId, Instant periodStart, PlanSpec chosenPlan)
            throws SQLException {
        LedgerReader ledger = new LedgerReader(connection, LedgerJson.newMapper());
        AccountOpened opening = ledger.opening(accountId)
                .orElseThrow(() -> new RerateRefused("the ledger has no account " + accountId));
        if (!ledger.hasInvoiceFor(accountId, periodStart)) {
            throw new RerateRefused("account " + accountId + " has no invoice for a period starting at " + periodStart
                    + " (--period is the period's start instant, as on the invoice, e.g. 2026-10-01T00:00:00Z)");
        }
        Map<String, List<PlanPublished>> plans = ledger.planVersions(List.of(opening.planId(), chosenPlan.planId()));
        checkChosenPlan(chosenPlan, plans.getOrDefault(chosenPlan.planId(), List.of()), opening.currency());
        BillingPeriod period = new BillingCalendar(opening.billingAnchorDay()).periodContaining(periodStart);

        RerunClock clock = new RerunClock(opening.openedAt());
        SubstitutedPlanCatalog catalog = new SubstitutedPlanCatalog(new RecordedPlanCatalog(plans, clock),
                opening.planId(), period, chosenPlan);
        RecordedInvoiceNumbers numbers = new RecordedInvoiceNumbers();
        try (AccountRerun rerun = AccountRerun.start(catalog, clock, numbers)) {
            Replay replay = new Replay(accountId, periodStart, rerun, numbers);
            ledger.forEachEvent(accountId, replay::handle);
            InvoiceIssued real = replay.realInvoice().orElseThrow(() -> new IllegalStateException(
                    "the invoice for " + periodStart + " was not in the stream read"));
            InvoiceIssued rerated = rerun.issued(accountId, real.invoiceId()).orElseThrow(() ->
                    new IllegalStateException("the re-run issued no invoice for " + periodStart + "; "
                            + String.join("; ", replay.notes())));
            return RerateReport.of(opening.planId(), chosenPlan, real, rerated, replay.notes());
        }
    }

    private static void checkChosenPlan(PlanSpec chosen, List<PlanPublished> versions, String currency) {
        if (versions.isEmpty()) {
            throw new RerateRefused("the ledger has no plan " + chosen.planId());
        }
        chosen.fixedVersion().ifPresent(version -> {
            if (versions.stream().noneMatch(published -> published.version() == version)) {
                throw new RerateRefused("plan " + chosen.planId() + " has versions 1 to " + versions.size()
                        + ", not " + version);
            }
        });
        if (!versions.get(0).currency().equals(currency)) {
            throw new RerateRefused("plan " + chosen.planId() + " is priced in " + versions.get(0).currency()
                    + " and the account is billed in " + currency);
        }
    }

    /** Feeds the recorded events to the re-run as commands and stops after the rerated period's close. */
    private static final class Replay {

        private final String accountId;
        private final Instant periodStart;
        private final AccountRerun rerun;
        private final RecordedInvoiceNumbers numbers;
        private final UsageBatch usage;
        private final List<String> notes = new ArrayList<>();
        private InvoiceIssued realInvoice;

        Replay(String accountId, Instant periodStart, AccountRerun rerun, RecordedInvoiceNumbers numbers) {
            this.accountId = accountId;
            this.periodStart = periodStart;
            this.rerun = rerun;
            this.numbers = numbers;
            this.usage = new UsageBatch(accountId);
        }

        boolean handle(Object event) {
            if (event instanceof LowCreditBalance || event instanceof CreditBalanceDepleted) {
                return true;
            }
            if (event instanceof UsageRecorded || event instanceof UsageBatchRecorded) {
                for (UsageRecorded recorded : UsageBatchRecorded.usagesIn(event)) {
                    if (!usage.accepts(recorded)) {
                        send(usage.drain());
                    }
                    usage.add(recorded);
                }
                return true;
            }
            Optional<RecordedCommand> command = RecordedCommand.of(event);
            if (command.isEmpty()) {
                return true;
            }
            if (!usage.isEmpty()) {
                send(usage.drain());
            }
            if (event instanceof InvoiceIssued invoice) {
                numbers.expect(invoice.number());
                send(command.get());
                if (invoice.periodStart().equals(periodStart)) {
                    realInvoice = invoice;
                    return false;
                }
                noteIfReissuedDifferently(invoice);
                return true;
            }
            send(command.get());
            return true;
        }

        private void send(RecordedCommand command) {
            Object answer = rerun.send(command.at(), command.command());
            if (answer instanceof CommandOutcome outcome && outcome.status() != CommandOutcome.Status.ACCEPTED) {
                notes.add(command.origin() + " at " + command.at() + " was answered "
                        + describe(outcome.status().name(), outcome.code(), outcome.detail()) + " in the re-run");
            }
            if (answer instanceof List<?> outcomes) {
                for (Object item : outcomes) {
                    UsageOutcome outcome = (UsageOutcome) item;
                    if (outcome.status() != UsageStatus.ACCEPTED) {
                        notes.add("usage " + outcome.idempotencyKey() + " recorded at " + command.at()
                                + " was answered " + describe(outcome.status().name(), outcome.code(), outcome.detail())
                                + " in the re-run, so it is on no rerated invoice");
                    }
                }
            }
        }

        private void noteIfReissuedDifferently(InvoiceIssued real) {
            Optional<InvoiceIssued> reissued = rerun.issued(accountId, real.invoiceId());
            if (reissued.isEmpty()) {
                notes.add("the re-run did not issue invoice " + real.number() + " for " + real.periodStart());
            } else if (!reissued.get().lines().equals(real.lines()) || !reissued.get().total().equals(real.total())
                    || !reissued.get().creditsApplied().equals(real.creditsApplied())) {
                notes.add("invoice " + real.number() + " for " + real.periodStart() + " comes out differently in the"
                        + " re-run (total " + real.total().amount().toPlainString() + " real, "
                        + reissued.get().total().amount().toPlainString() + " rerated); usage of the rerated period"
                        + " recorded before that close draws on the same credit, for one");
            }
        }

        private static String describe(String status, ErrorCode code, String detail) {
            String answer = status.toLowerCase(Locale.ROOT);
            return code == null ? answer : answer + " " + code.code() + " (" + detail + ")";
        }

        Optional<InvoiceIssued> realInvoice() {
            return Optional.ofNullable(realInvoice);
        }

        List<String> notes() {
            return notes;
        }
    }
}
