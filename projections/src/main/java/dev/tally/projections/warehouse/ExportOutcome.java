package dev.tally.projections.warehouse;

/** What one export call did: events sent, events skipped as already acknowledged, rows refused. */
public record ExportOutcome(int exported, int alreadyExported, int refused) {

    public static final ExportOutcome NOTHING = new ExportOutcome(0, 0, 0);

    public ExportOutcome plus(ExportOutcome other) {
        return new ExportOutcome(exported + other.exported, alreadyExported + other.alreadyExported,
                refused + other.refused);
    }
}
