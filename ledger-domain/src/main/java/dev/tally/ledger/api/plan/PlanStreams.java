package dev.tally.ledger.api.plan;

/**
 * The event-store stream of a plan. Axon reads a stream by identifier whatever the aggregate
 * type, so plans live under a prefix that account identifiers cannot carry ('/' is not allowed in
 * API identifiers): a plan and an account may then share a name without sharing a stream.
 */
public final class PlanStreams {

    public static final String PREFIX = "plan/";

    private PlanStreams() {
    }

    public static String idOf(String planId) {
        return PREFIX + planId;
    }
}
