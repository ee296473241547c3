package dev.tally.ledger.api.account;

/**
 * A command for one account's stream. Axon finds the target of a command by scanning its class
 * for {@code @TargetAggregateIdentifier} on every dispatch; the server routes account commands by
 * this method instead, on the ingestion path's every command. The annotation stays for Axon's
 * test fixtures and any other resolver.
 */
public interface ForAccount {

    /** The account whose stream the command is for. */
    String accountId();
}
