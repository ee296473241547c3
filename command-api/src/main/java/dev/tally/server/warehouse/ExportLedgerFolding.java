package dev.tally.server.warehouse;

import dev.tally.projections.warehouse.ExportedEvents;
import dev.tally.projections.warehouse.WarehouseSink;
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

    private final ExportedEvents ledger;
    private final WarehouseSink sink;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    ExportLedgerFolding(ExportedEvents ledger, WarehouseSink sink, JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.ledger = ledger;
        this.sink = sink;
        this.jdbc = jdbc;
        this.transactions = transactions;
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
    public long fold() {
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
        return watermark;
    }
}
