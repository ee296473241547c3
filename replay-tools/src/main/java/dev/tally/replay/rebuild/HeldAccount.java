package dev.tally.replay.rebuild;

/**
 * An account the rebuild stopped applying, as the server's processor does: at {@code position} its
 * event {@code eventId} could not be applied ({@code cause}), and its later events, {@code heldEvents}
 * of them, wait behind it. The live views of the account stop at the same place until an admin
 * retries or skips the event, so the shadow still agrees with them.
 */
record HeldAccount(String accountId, long position, String eventId, String eventType, String cause, long heldEvents) {

    HeldAccount withOneMoreHeld() {
        return new HeldAccount(accountId, position, eventId, eventType, cause, heldEvents + 1);
    }
}
