package dev.tally.integrations.stripe;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Optional;

/** The directory in {@code integrations.stripe_customer}; the first link of an account wins. */
public class JdbcStripeCustomerDirectory implements StripeCustomerDirectory {

    private final JdbcTemplate jdbc;

    public JdbcStripeCustomerDirectory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<String> customerOf(String accountId) {
        return jdbc.queryForList("SELECT customer_id FROM integrations.stripe_customer WHERE account_id = ?",
                String.class, accountId).stream().findFirst();
    }

    @Override
    public void remember(String accountId, String customerId) {
        jdbc.update("""
                INSERT INTO integrations.stripe_customer (account_id, customer_id, linked_at) VALUES (?, ?, now())
                ON CONFLICT (account_id) DO NOTHING""", accountId, customerId);
    }
}
