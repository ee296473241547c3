package dev.tally.replay.rerate;

import java.util.Optional;

/** The plan to rerate under: {@code PLAN} (the version or versions in force) or {@code PLAN:VERSION}. */
record PlanSpec(String planId, Integer version) {

    static PlanSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new RerateRefused("--plan needs a plan id, optionally with :VERSION");
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return new PlanSpec(text, null);
        }
        String planId = text.substring(0, colon);
        String version = text.substring(colon + 1);
        if (planId.isBlank() || !version.matches("[1-9][0-9]{0,8}")) {
            throw new RerateRefused("--plan takes PLAN or PLAN:VERSION with a version number of 1 or more, not " + text);
        }
        return new PlanSpec(planId, Integer.valueOf(version));
    }

    Optional<Integer> fixedVersion() {
        return Optional.ofNullable(version);
    }

    @Override
    public String toString() {
        return version == null ? planId : planId + ":" + version;
    }
}
