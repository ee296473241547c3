package dev.tally.integrations.orb;

/** A credit ledger entry Orb created: its id, its type and the credit block it belongs to. */
public record OrbLedgerEntry(String id, String entryType, String blockId) {
}
