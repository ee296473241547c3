package dev.tally.projections.support;

/**
 * A projection handler's refusal of an event the read models cannot store (a text with U+0000, an
 * instant outside PostgreSQL's range, a row that breaks a constraint). Thrown before the handler
 * writes anything, so the processor's dead-letter queue takes the event, and with it every later
 * event of its account, while other accounts' events go on.
 */
public class UnprojectableEvent extends RuntimeException {

    public UnprojectableEvent(String message) {
        super(message);
    }
}
