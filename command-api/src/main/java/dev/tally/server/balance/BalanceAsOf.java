package dev.tally.server.balance;

import dev.tally.ledger.balance.BalanceFold;
import dev.tally.projections.balance.BalanceView;
import dev.tally.projections.balance.GrantView;
import dev.tally.projections.support.SkippedEvents;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The balance as it stood at an instant of ledger time: the account's events recorded up to
 * that instant, replayed through {@link BalanceFold}. Nothing is read from the projections, so
 * the answer does not depend on how far they have caught up. Events an admin skipped are left
 * out, as the projections leave them out, so the live balance and this one agree.
 */
@Component
class BalanceAsOf {

    private final EventStore eventStore;
    private final JdbcTemplate jdbc;

    BalanceAsOf(EventStore eventStore, JdbcTemplate jdbc) {
        this.eventStore = eventStore;
        this.jdbc = jdbc;
    }

    Optional<BalanceView> balance(String accountId, Instant asOf) {
        BalanceFold fold = new BalanceFold();
        Set<String> skipped = SkippedEvents.ofAccount(jdbc, accountId);
        long lastSequence = -1;
        // From the first event, not from the latest snapshot: the fold needs the whole history up to asOf.
        DomainEventStream events = eventStore.readEvents(accountId, 0);
        while (events.hasNext()) {
            DomainEventMessage<?> event = events.next();
            if (event.getTimestamp().isAfter(asOf)) {
                break;
            }
            if (!skipped.contains(event.getIdentifier())) {
                fold.apply(event.getPayload());
            }
            lastSequence = event.getSequenceNumber();
        }
        if (fold.currency() == null) {
            return Optional.empty();
        }
        Long position = jdbc.queryForObject("""
                SELECT globalIndex FROM events.domain_event_entry WHERE aggregateIdentifier = ? AND sequenceNumber = ?""",
                Long.class, accountId, lastSequence);
        return Optional.of(new BalanceView(accountId, fold.currency(), fold.creditBalance(), fold.unbilled(),
                fold.invoicedOutstanding(), fold.unappliedCash(), fold.grants().stream().map(grant -> new GrantView(
                grant.granted().grantId(), grant.granted().kind().wireName(), grant.granted().amount().amount(),
                grant.remaining(), grant.granted().effectiveAt(), grant.granted().expiresAt(), grant.granted().priority(),
                grant.granted().description(), grant.status(), grant.granted().grantedAt())).toList(),
                position == null ? 0 : position));
    }
}
