/** {@code history}: an account's events as a readable timeline. */
package dev.tally.replay.history;
