package dev.tally.integrations.orb;

/**
 * The ledger side of a sync step cannot go on for this event (the ledger refused to link the
 * customer, or a voided grant never reached Orb): like {@link OrbRejected}, trying again unchanged
 * would not help, so the event becomes a dead letter for someone to look at.
 */
public final class OrbSyncRefused extends RuntimeException {

    public OrbSyncRefused(String message) {
        super(message);
    }
}
