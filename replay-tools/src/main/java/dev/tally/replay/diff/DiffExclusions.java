package dev.tally.replay.diff;

import java.util.Map;
import java.util.Set;

/**
 * Columns that legitimately differ between live projections and a rebuild of the same events,
 * and so are not compared. Each has its reason; anything not listed here must be equal, byte for
 * byte (spec principle 4).
 */
final class DiffExclusions {

    /**
     * {@code account.last_position}: the balance projection stores its processor's tracking-token
     * position there. Live, an event whose transaction committed after a later one ("fills a gap")
     * is delivered with the token's high-water mark, not its own global index; a rebuild reads
     * committed history without gaps and stores the event's own index. Nothing reads the column to
     * decide a figure (the journal and the guards use account sequences).
     */
    private static final Map<String, Set<String>> COLUMNS = Map.of("account", Set.of("last_position"));

    private DiffExclusions() {
    }

    static boolean isExcluded(String table, String column) {
        return COLUMNS.getOrDefault(table, Set.of()).contains(column);
    }
}
