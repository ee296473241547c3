package dev.tally.replay.export;

/** The two export formats (given in any case on the command line). */
public enum ExportFormat {
    CSV, NDJSON
}
