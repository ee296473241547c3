package dev.tally.server.integration.webhook;

import dev.tally.integrations.stripe.webhook.WebhookOutcome;
import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Every verified delivery, once per (source, event id), in {@code integrations.webhook_inbox}. The
 * first delivery is stored pending; handling it marks it applied or ignored, or leaves it pending
 * to be tried again.
 */
@Component
@ConditionalOnTallyRole(TallyRole.API)
public class WebhookInbox {

    public record Entry(String source, String eventId, String type, String payload, WebhookOutcome.Status status) {

        public boolean isPending() {
            return status == WebhookOutcome.Status.PENDING;
        }
    }

    private final JdbcTemplate jdbc;

    public WebhookInbox(JdbcTemplate jdbc, ObjectProvider<MeterRegistry> meters) {
        this.jdbc = jdbc;
        meters.ifAvailable(registry -> Gauge.builder("tally.webhooks.pending", this::pendingCount)
                .description("Verified webhook events waiting for what they need (e.g. a refund for its payment)")
                .register(registry));
    }

    /** Stores the delivery unless the event is known, and returns the stored entry either way. */
    public Entry receive(String source, String eventId, String type, String payload) {
        jdbc.update("""
                INSERT INTO integrations.webhook_inbox (source, event_id, event_type, payload, status, received_at, updated_at)
                VALUES (?, ?, ?, ?, 'pending', now(), now()) ON CONFLICT (source, event_id) DO NOTHING""",
                source, eventId, type, payload);
        return jdbc.query("""
                SELECT source, event_id, event_type, payload, status FROM integrations.webhook_inbox
                WHERE source = ? AND event_id = ?""", (row, n) -> entry(row.getString(1), row.getString(2),
                row.getString(3), row.getString(4), row.getString(5)), source, eventId).get(0);
    }

    public void record(Entry entry, WebhookOutcome outcome) {
        jdbc.update("""
                UPDATE integrations.webhook_inbox SET status = ?, detail = ?, attempts = attempts + 1, updated_at = now()
                WHERE source = ? AND event_id = ?""", outcome.status().name().toLowerCase(Locale.ROOT), outcome.detail(),
                entry.source(), entry.eventId());
    }

    /**
     * The pending entries of {@code source} tried least recently, at most {@code limit}: an event that
     * can never apply does not keep the others from their turn.
     */
    public List<Entry> pending(String source, int limit) {
        return jdbc.query("""
                SELECT source, event_id, event_type, payload, status FROM integrations.webhook_inbox
                WHERE source = ? AND status = 'pending' ORDER BY updated_at, received_at LIMIT ?""",
                (row, n) -> entry(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getString(5)), source, limit);
    }

    /**
     * Gives up on events of {@code source} pending for longer than {@code maxAge} (e.g. a refund of a
     * payment Tally never recorded): they are marked ignored, their last reason kept; returns how many.
     */
    public int abandonOlderThan(String source, Duration maxAge) {
        return jdbc.update("""
                UPDATE integrations.webhook_inbox
                SET status = 'ignored', detail = 'abandoned after ' || ? || ' pending: ' || coalesce(detail, ''),
                    updated_at = now()
                WHERE source = ? AND status = 'pending' AND received_at < now() - make_interval(secs => ?)""",
                maxAge.toString(), source, maxAge.toSeconds());
    }

    /** Events waiting to apply, of every source. */
    public long pendingCount() {
        Long count = jdbc.queryForObject("SELECT count(*) FROM integrations.webhook_inbox WHERE status = 'pending'",
                Long.class);
        return count == null ? 0 : count;
    }

    private static Entry entry(String source, String eventId, String type, String payload, String status) {
        return new Entry(source, eventId, type, payload, WebhookOutcome.Status.valueOf(status.toUpperCase(Locale.ROOT)));
    }
}
