package dev.tally.server.processing;

/**
 * What a retry did. {@code processed}: the handler succeeded and the letter left the queue;
 * otherwise it is back in the queue with {@code letter} showing the new cause.
 */
public record RetryOutcome(boolean processed, DeadLetterView letter) {
}
