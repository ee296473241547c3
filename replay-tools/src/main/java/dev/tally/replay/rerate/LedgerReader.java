package dev.tally.replay.rerate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.charge.ChargeRecorded;
import dev.tally.ledger.api.credit.CreditBalanceDepleted;
import dev.tally.ledger.api.credit.CreditExpired;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditVoided;
import dev.tally.ledger.api.credit.LowCreditBalance;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.invoice.InvoiceVoided;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
import dev.tally.ledger.api.plan.PlanPublished;
import dev.tally.ledger.api.plan.PlanStreams;
import dev.tally.ledger.api.projection.ProjectionEventSkipped;
import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads one account's event stream and the plan streams it needs straight from
 * {@code events.domain_event_entry}, with plain JDBC, in ledger order, through a streaming cursor.
 * Call it inside {@link ReadOnlyTransaction}.
 */
final class LedgerReader {

    /** Rows fetched per round trip while streaming an account's history. */
    static final int FETCH_SIZE = 1_000;

    /** Every event type an account stream holds; anything else means this tool is out of date. */
    private static final Map<String, Class<?>> ACCOUNT_EVENT_TYPES = Stream.of(AccountOpened.class,
                    UsageRecorded.class, UsageBatchRecorded.class, CreditGranted.class, CreditVoided.class, CreditExpired.class,
                    LowCreditBalance.class, CreditBalanceDepleted.class, ChargeRecorded.class, PaymentRecorded.class,
                    PaymentRefunded.class, InvoiceIssued.class, InvoiceVoided.class, ProjectionEventSkipped.class)
            .collect(Collectors.toUnmodifiableMap(Class::getName, Function.identity()));

    interface EventHandler {
        /** Handles one event; false stops the reading. */
        boolean handle(Object event) throws SQLException;
    }

    private final Connection connection;
    private final ObjectMapper json;

    LedgerReader(Connection connection, ObjectMapper json) {
        this.connection = connection;
        this.json = json;
    }

    /** The account's first event, which opened it; empty when the ledger has no such account. */
    Optional<AccountOpened> opening(String accountId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT payloadType, payload FROM events.domain_event_entry
                WHERE aggregateIdentifier = ? ORDER BY sequenceNumber LIMIT 1""")) {
            statement.setString(1, accountId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next() || !AccountOpened.class.getName().equals(row.getString(1))) {
                    return Optional.empty();
                }
                return Optional.of(read(row.getString(2), AccountOpened.class));
            }
        }
    }

    /** Whether the ledger issued the account an invoice for the period starting at {@code periodStart}. */
    boolean hasInvoiceFor(String accountId, Instant periodStart) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT 1 FROM events.domain_event_entry
                WHERE aggregateIdentifier = ? AND payloadType = ? AND payload ->> 'periodStart' = ?""")) {
            statement.setString(1, accountId);
            statement.setString(2, InvoiceIssued.class.getName());
            // Instant.toString is the ISO-8601 form the event serializer writes.
            statement.setString(3, periodStart.toString());
            try (ResultSet row = statement.executeQuery()) {
                return row.next();
            }
        }
    }

    /** Every published version of each plan, in version order; a plan the ledger lacks is absent. */
    Map<String, List<PlanPublished>> planVersions(Collection<String> planIds) throws SQLException {
        Map<String, List<PlanPublished>> versions = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT payload FROM events.domain_event_entry
                WHERE aggregateIdentifier = ANY (?) AND payloadType = ?
                ORDER BY aggregateIdentifier, sequenceNumber""")) {
            statement.setArray(1, connection.createArrayOf("varchar",
                    planIds.stream().distinct().map(PlanStreams::idOf).toArray()));
            statement.setString(2, PlanPublished.class.getName());
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    PlanPublished version = read(row.getString(1), PlanPublished.class);
                    versions.computeIfAbsent(version.planId(), planId -> new ArrayList<>()).add(version);
                }
            }
        }
        return versions;
    }

    /** Streams the account's events in ledger order to {@code handler} until it says stop. */
    void forEachEvent(String accountId, EventHandler handler) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT sequenceNumber, payloadType, payload FROM events.domain_event_entry
                WHERE aggregateIdentifier = ? ORDER BY sequenceNumber""")) {
            statement.setFetchSize(FETCH_SIZE);
            statement.setString(1, accountId);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    Class<?> type = ACCOUNT_EVENT_TYPES.get(row.getString(2));
                    if (type == null) {
                        throw new IllegalStateException("event " + row.getLong(1) + " of account " + accountId
                                + " is a " + row.getString(2) + ", which rerate does not know");
                    }
                    if (!handler.handle(read(row.getString(3), type))) {
                        return;
                    }
                }
            }
        }
    }

    private <T> T read(String payload, Class<T> type) {
        try {
            return json.readValue(payload, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a " + type.getSimpleName() + " payload", e);
        }
    }
}
