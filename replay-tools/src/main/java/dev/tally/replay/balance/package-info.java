/** {@code balance}: an account's balance as of an instant, replayed offline from its events. */
package dev.tally.replay.balance;
