package dev.tally.replay.rerate;

import java.util.Optional;

/** The plan to rerate under: {@code PLAN} (the version or versions in force) or {@code PLAN:VERSION}. */
record PlanSpec(String planId, Integer version) {

    /**
     * Plan ids may hold ':' themselves, so only a number after the last ':' is a version;
     * {@code team:gold} is the plan "team:gold" and {@code team:gold:2} its version 2.
     */
    static PlanSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new RerateRefused("--plan needs a plan id, optionally with :VERSION");
        }
        int colon = text.lastIndexOf(':');
        String suffix = colon < 0 ? "" : text.substring(colon + 1);
        if (!suffix.matches("[0-9]{1,9}")) {
            return new PlanSpec(text, null);
        }
        int version = Integer.parseInt(suffix);
        if (colon == 0 || version < 1) {
            throw new RerateRefused("--plan takes PLAN or PLAN:VERSION with a version of 1 or more, not " + text);
        }
        return new PlanSpec(text.substring(0, colon), version);
    }

    Optional<Integer> fixedVersion() {
        return Optional.ofNullable(version);
    }

    @Override
    public String toString() {
        return version == null ? planId : planId + ":" + version;
    }
}
