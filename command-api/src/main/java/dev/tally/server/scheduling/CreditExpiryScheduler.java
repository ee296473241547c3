package dev.tally.server.scheduling;

import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.ledger.api.credit.ExpireCredit;
import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.projections.balance.BalanceQueries;
import dev.tally.projections.balance.ExpiredGrant;
import java.time.Clock;
import java.util.List;
import dev.tally.server.web.request.CommandOrigin;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Records {@code CreditExpired} for every active grant whose {@code expiresAt} has passed. It
 * keeps no state of its own: the grants projection says what is due, so an expiry missed while
 * the server was down is recorded on the first run after it comes back. Expiring twice is
 * harmless (the aggregate answers duplicate), so two servers may both run it.
 */
@ConditionalOnTallyRole(TallyRole.SCHEDULER)
@Component
public class CreditExpiryScheduler {

    /** Grants expired per run; the next run picks up the rest. */
    static final int MAX_EXPIRIES_PER_RUN = 500;

    private static final CommandOrigin ORIGIN = CommandOrigin.system("credit-expiry");
    private static final Logger log = LoggerFactory.getLogger(CreditExpiryScheduler.class);

    private final BalanceQueries balances;
    private final CommandGateway commands;
    private final Clock clock;

    public CreditExpiryScheduler(BalanceQueries balances, CommandGateway commands, Clock clock) {
        this.balances = balances;
        this.commands = commands;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${tally.expiry.initial-delay:PT2S}", fixedDelayString = "${tally.expiry.interval:PT5S}")
    public void expireDueGrants() {
        List<ExpiredGrant> due = balances.expiredButActive(clock.instant(), MAX_EXPIRIES_PER_RUN);
        for (ExpiredGrant grant : due) {
            try {
                CommandOutcome outcome = commands.sendAndWait(ORIGIN.stamp(new ExpireCredit(grant.accountId(), grant.grantId())));
                if (outcome.isRejected()) {
                    log.warn("expiry of grant {} of account {} refused: {}", grant.grantId(), grant.accountId(),
                            outcome.detail());
                }
            } catch (RuntimeException failure) {
                log.warn("expiry of grant {} of account {} failed; retrying on the next run", grant.grantId(),
                        grant.accountId(), failure);
            }
        }
    }
}
