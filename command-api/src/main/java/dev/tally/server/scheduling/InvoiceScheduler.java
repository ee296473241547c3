package dev.tally.server.scheduling;

import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.ledger.api.invoice.CloseBillingPeriod;
import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.projections.invoice.InvoiceQueries;
import dev.tally.projections.invoice.InvoiceQueries.DuePeriod;
import dev.tally.server.invoice.InvoiceProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import dev.tally.server.web.request.CommandOrigin;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Closes every billing period once its end plus the grace period has passed. It keeps no state of
 * its own: the billing schedule projection says which period each account closes next, so periods
 * that ended while the server was down are closed, in order, on the first runs after it comes
 * back. Closing twice is harmless (the account answers duplicate, and the invoice is the same),
 * so two servers may both run it.
 */
@ConditionalOnTallyRole(TallyRole.SCHEDULER)
@Component
public class InvoiceScheduler {

    /** Periods closed per run; the next run picks up the rest. */
    static final int MAX_CLOSES_PER_RUN = 500;

    private static final CommandOrigin ORIGIN = CommandOrigin.system("invoice-scheduler");
    private static final Logger log = LoggerFactory.getLogger(InvoiceScheduler.class);

    private final InvoiceQueries invoices;
    private final CommandGateway commands;
    private final Clock clock;
    private final InvoiceProperties properties;

    public InvoiceScheduler(InvoiceQueries invoices, CommandGateway commands, Clock clock,
                            InvoiceProperties properties) {
        this.invoices = invoices;
        this.commands = commands;
        this.clock = clock;
        this.properties = properties;
    }

    @Scheduled(initialDelayString = "${tally.invoice.scheduler-initial-delay:PT3S}",
            fixedDelayString = "${tally.invoice.scheduler-interval:PT30S}")
    public void closeDuePeriods() {
        if (!properties.schedulerEnabled()) {
            return;
        }
        Instant endedBy = clock.instant().minus(properties.gracePeriod());
        List<DuePeriod> due = invoices.duePeriods(endedBy, MAX_CLOSES_PER_RUN);
        for (DuePeriod period : due) {
            close(period);
        }
    }

    private void close(DuePeriod period) {
        try {
            CommandOutcome outcome = commands.sendAndWait(ORIGIN.stamp(new CloseBillingPeriod(period.accountId(), period.periodStart())));
            if (outcome.isRejected()) {
                log.warn("closing the period {} of account {} refused: {}", period.periodStart(), period.accountId(),
                        outcome.detail());
            } else if (outcome.status() == CommandOutcome.Status.ACCEPTED) {
                log.info("closed the period {} of account {}", period.periodStart(), period.accountId());
            }
        } catch (ConcurrencyException raced) {
            log.info("the period {} of account {} raced another writer; retrying on the next run",
                    period.periodStart(), period.accountId());
        } catch (RuntimeException failure) {
            log.warn("closing the period {} of account {} failed; retrying on the next run", period.periodStart(),
                    period.accountId(), failure);
        }
    }
}
