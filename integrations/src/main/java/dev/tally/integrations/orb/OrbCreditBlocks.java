package dev.tally.integrations.orb;

import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which Orb credit block stands for which ledger grant ({@code integrations.orb_credit_block}), and
 * whether the grant's void or expiry already reached Orb. It makes a redelivered grant or void a
 * no-op even after Orb's 48-hour request-key window, and gives a void the block it must name.
 */
public class OrbCreditBlocks {

    /** One grant's block; {@code closingEntryId} is set once its void or expiry reached Orb. */
    public record Block(String blockId, String closingEntryId) {
    }

    private final JdbcTemplate jdbc;

    public OrbCreditBlocks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Block> find(String accountId, String grantId) {
        return jdbc.query("SELECT block_id, closing_entry_id FROM integrations.orb_credit_block "
                        + "WHERE account_id = ? AND grant_id = ?",
                (row, index) -> new Block(row.getString(1), row.getString(2)), accountId, grantId).stream().findFirst();
    }

    public void recordIncrement(String accountId, String grantId, String blockId, String entryId) {
        jdbc.update("INSERT INTO integrations.orb_credit_block (account_id, grant_id, block_id, increment_entry_id) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (account_id, grant_id) DO NOTHING", accountId, grantId, blockId, entryId);
    }

    public void recordClosing(String accountId, String grantId, String entryId, String closedAs) {
        jdbc.update("UPDATE integrations.orb_credit_block SET closing_entry_id = ?, closed_as = ?, closed_at = now() "
                + "WHERE account_id = ? AND grant_id = ?", entryId, closedAs, accountId, grantId);
    }
}
