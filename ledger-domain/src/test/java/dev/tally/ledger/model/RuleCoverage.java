package dev.tally.ledger.model;

import java.util.Map;
import java.util.TreeMap;

/** Counts which rules of the spec a scenario exercised, so that the report shows what the tries covered. */
final class RuleCoverage {

    private final Map<String, Integer> counts = new TreeMap<>();

    void count(String rule) {
        counts.merge(rule, 1, Integer::sum);
    }

    Map<String, Integer> counts() {
        return Map.copyOf(counts);
    }
}
