package dev.tally.server.warehouse;

import dev.tally.projections.warehouse.ExportedEvents;
import dev.tally.projections.warehouse.WarehouseSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Folds the settled part of the export's per-position ledger into its watermark now and then, so
 * that {@code warehouse.exported_event} holds only recent positions instead of one row per event
 * ever exported.
 */
public class ExportLedgerFolding {

    private static final Logger log = LoggerFactory.getLogger(ExportLedgerFolding.class);
    /** Positions folded per transaction, so that none holds the export's lock for long. */
    static final long SPAN_PER_TRANSACTION = 50_000;

    /** How long the watermark may stay behind the ledger before the fold says what holds it. */
    static final Duration STALL_WARNING_AFTER = Duration.ofMinutes(15);

    private final ExportedEvents ledger;
    private final WarehouseSink sink;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private long stalledAt = -1;
    private Instant stalledSince;

    ExportLedgerFolding(ExportedEvents ledger, WarehouseSink sink, JdbcTemplate jdbc, TransactionTemplate transactions,
                        Clock clock) {
        this.ledger = ledger;
        this.sink = sink;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${tally.warehouse.fold-interval:PT1M}",
            fixedDelayString = "${tally.warehouse.fold-interval:PT1M}")
    public void foldNow() {
        try {
            fold();
        } catch (RuntimeException failure) {
            log.warn("folding the warehouse export ledger failed; trying again on the next run", failure);
        }
    }

    /** Folds as far as the ledger allows; answers the target's watermark afterwards. */
    public synchronized long fold() {
        // Its own short transaction: settled_position() locks out appends until the transaction ends.
        Long settled = jdbc.queryForObject("SELECT events.settled_position()", Long.class);
        String target = sink.target();
        long before = ledger.watermark(target);
        long watermark = before;
        while (true) {
            long from = watermark;
            Long folded = transactions.execute(status -> ledger.fold(target, settled, SPAN_PER_TRANSACTION));
            watermark = folded == null ? from : folded;
            if (watermark == from) {
                break;
            }
        }
        if (watermark > before) {
            log.info("warehouse export ledger of {} folded through position {}", target, watermark);
        }
        warnIfStalled(target, watermark, settled);
        return watermark;
    }

    /**
     * An event the export never acknowledged holds the watermark for good (one it dead-lettered, or
     * a refused row nobody resolved), and the per-event table grows again behind it: say so.
     */
    private void warnIfStalled(String target, long watermark, long settled) {
        if (watermark >= settled || watermark != stalledAt) {
            stalledAt = watermark < settled ? watermark : -1;
            stalledSince = clock.instant();
            return;
        }
        if (Duration.between(stalledSince, clock.instant()).compareTo(STALL_WARNING_AFTER) >= 0) {
            log.warn("warehouse export ledger of {} has not folded past position {} for {} while the ledger is at {}:"
                    + " the next event is not exported yet, is refused (warehouse.refused_row) or is dead-lettered by"
                    + " warehouse-export (GET /v1/admin/dead-letters); resolve it", target, watermark,
                    STALL_WARNING_AFTER, settled);
            stalledSince = clock.instant();
        }
    }
}
