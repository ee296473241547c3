package dev.tally.ledger.plan;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.tally.ledger.LedgerSettings;
import dev.tally.ledger.api.money.CurrencyUnits;
import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.api.plan.PlanPublished;
import dev.tally.ledger.api.plan.PlanStreams;
import dev.tally.ledger.api.plan.PublishPlan;
import dev.tally.ledger.rating.PriceValidation;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

/**
 * A plan and its versions. Publishing again makes version n+1. A later version may not start
 * in the past, because usage already rated under the earlier version must keep its price.
 */
public class Plan {

    @AggregateIdentifier
    private String streamId;
    private String planId;
    private int latestVersion;
    private String currency;
    private Instant latestEffectiveFrom;

    protected Plan() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public CommandOutcome handle(PublishPlan command, LedgerSettings settings) {
        Instant now = settings.clock().instant();
        Instant effectiveFrom = command.effectiveFrom() == null ? now : command.effectiveFrom();
        Optional<CommandOutcome> rejection = rejectionOf(command, effectiveFrom, now);
        if (rejection.isPresent()) {
            return rejection.get();
        }
        apply(new PlanPublished(command.planId(), latestVersion + 1, command.currency(), effectiveFrom,
                command.minimumCommitment(), command.prices(), now));
        return CommandOutcome.accepted();
    }

    private Optional<CommandOutcome> rejectionOf(PublishPlan command, Instant effectiveFrom, Instant now) {
        if (!CurrencyUnits.isKnown(command.currency())) {
            return reject(ErrorCode.UNSUPPORTED_CURRENCY, "currency must be an ISO-4217 code");
        }
        if (command.minimumCommitment() != null) {
            if (!command.minimumCommitment().currency().equals(command.currency())) {
                return reject(ErrorCode.CURRENCY_MISMATCH, "minimumCommitment must be in the plan's currency");
            }
            if (command.minimumCommitment().isNegative()) {
                return reject(ErrorCode.INVALID_AMOUNT, "minimumCommitment cannot be negative");
            }
        }
        Optional<String> priceProblem = PriceValidation.problemWith(command.prices());
        if (priceProblem.isPresent()) {
            return reject(ErrorCode.INVALID_PRICE, priceProblem.get());
        }
        if (planId == null) {
            return Optional.empty();
        }
        if (!currency.equals(command.currency())) {
            return reject(ErrorCode.PLAN_CURRENCY_CHANGED, "plan " + planId + " is priced in " + currency);
        }
        if (!effectiveFrom.isAfter(latestEffectiveFrom)) {
            return reject(ErrorCode.EFFECTIVE_FROM_NOT_AFTER_PREVIOUS,
                    "effectiveFrom must be after version " + latestVersion + "'s " + latestEffectiveFrom);
        }
        if (effectiveFrom.isBefore(now)) {
            return reject(ErrorCode.EFFECTIVE_FROM_IN_PAST, "a new version cannot take effect in the past");
        }
        return Optional.empty();
    }

    private static Optional<CommandOutcome> reject(ErrorCode code, String detail) {
        return Optional.of(CommandOutcome.rejected(code, detail));
    }

    @EventSourcingHandler
    void on(PlanPublished event) {
        streamId = PlanStreams.idOf(event.planId());
        planId = event.planId();
        latestVersion = event.version();
        currency = event.currency();
        latestEffectiveFrom = event.effectiveFrom();
    }
}
