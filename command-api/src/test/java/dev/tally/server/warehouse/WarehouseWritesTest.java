package dev.tally.server.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.projections.warehouse.WarehouseExport;
import dev.tally.projections.warehouse.WarehouseRow;
import dev.tally.projections.warehouse.WarehouseSink;
import java.util.List;
import org.junit.jupiter.api.Test;

// Goal: a write to the warehouse stays under BigQuery's request size even when rows carry whole usage batches.
class WarehouseWritesTest {

    @Test
    void rowsAreCutByCountAndBySizeInOrder() {
        List<WarehouseRow> small = rows(1_200, 100);
        List<List<WarehouseRow>> byCount = WarehouseExport.writes(small);
        assertThat(byCount).extracting(List::size).containsExactly(500, 500, 200);

        // 3 MB payloads: at most two fit under the 8 MB a write may carry.
        List<WarehouseRow> large = rows(5, 3 * 1024 * 1024);
        List<List<WarehouseRow>> bySize = WarehouseExport.writes(large);
        assertThat(bySize).extracting(List::size).containsExactly(2, 2, 1);
        assertThat(bySize.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(large);

        // A row larger than a write's allowance still goes, alone.
        List<WarehouseRow> huge = rows(2, (int) WarehouseSink.BYTES_PER_WRITE_MAX + 1);
        assertThat(WarehouseExport.writes(huge)).extracting(List::size).containsExactly(1, 1);
    }

    private static List<WarehouseRow> rows(int count, int payloadLength) {
        return LedgerEventRows.rows(1, count, "UsageBatchRecorded", "x".repeat(payloadLength));
    }
}
