package dev.tally.replay.rebuild;

import dev.tally.projections.balance.BalanceProjection;
import dev.tally.projections.invoice.InvoiceProjection;
import dev.tally.projections.journal.JournalProjection;
import dev.tally.projections.usage.UsageProjection;
import dev.tally.projections.support.ProjectionSchema;
import dev.tally.projections.support.UnprojectableEvents;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every projection the server runs (each registered in its AxonConfiguration), writing into the
 * given schema. A projection added to the server must be added here too, or the diff after a
 * rebuild reports its tables as missing from the shadow.
 */
final class ShadowProjections {

    private ShadowProjections() {
    }

    static List<Object> all(JdbcTemplate jdbc, ProjectionSchema schema, UnprojectableEvents unprojectable) {
        return List.of(new BalanceProjection(jdbc, schema, unprojectable), new UsageProjection(jdbc, schema, unprojectable),
                new JournalProjection(jdbc, schema, unprojectable), new InvoiceProjection(jdbc, schema, unprojectable));
    }
}
