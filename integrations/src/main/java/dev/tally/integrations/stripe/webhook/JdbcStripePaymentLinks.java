package dev.tally.integrations.stripe.webhook;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Optional;

/** The links in {@code integrations.stripe_payment}; a PaymentIntent becomes one payment only. */
public class JdbcStripePaymentLinks implements StripePaymentLinks {

    private final JdbcTemplate jdbc;

    public JdbcStripePaymentLinks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<PaymentLink> paymentOf(String paymentIntentId) {
        return jdbc.query("SELECT account_id, payment_id FROM integrations.stripe_payment WHERE payment_intent_id = ?",
                (row, n) -> new PaymentLink(row.getString(1), row.getString(2)), paymentIntentId).stream().findFirst();
    }

    @Override
    public void remember(String paymentIntentId, PaymentLink link) {
        jdbc.update("""
                INSERT INTO integrations.stripe_payment (payment_intent_id, account_id, payment_id, linked_at)
                VALUES (?, ?, ?, now()) ON CONFLICT (payment_intent_id) DO NOTHING""",
                paymentIntentId, link.accountId(), link.paymentId());
    }
}
