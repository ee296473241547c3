package dev.tally.projections.usage;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reads of the usage projection, paged by (meter, day). */
public class UsageQueries {

    private final JdbcTemplate jdbc;

    public UsageQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Days of usage for an account, optionally one meter and a [from, to) day range, ordered by
     * meter then day, starting after the cursor (meter, day) and at most {@code limit} rows.
     */
    public List<DailyUsage> usage(String accountId, String meter, LocalDate from, LocalDate to,
                                  String afterMeter, LocalDate afterDay, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT meter, day, quantity, accrued, events FROM projections.usage_daily WHERE account_id = ?""");
        List<Object> args = new ArrayList<>(List.of(accountId));
        if (meter != null) {
            sql.append(" AND meter = ?");
            args.add(meter);
        }
        if (from != null) {
            sql.append(" AND day >= ?");
            args.add(Date.valueOf(from));
        }
        if (to != null) {
            sql.append(" AND day < ?");
            args.add(Date.valueOf(to));
        }
        if (afterMeter != null) {
            sql.append(" AND (meter, day) > (?, ?)");
            args.add(afterMeter);
            args.add(Date.valueOf(afterDay));
        }
        sql.append(" ORDER BY meter, day LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), (row, index) -> new DailyUsage(row.getString(1),
                row.getDate(2).toLocalDate(), row.getBigDecimal(3), row.getBigDecimal(4), row.getLong(5)),
                args.toArray());
    }
}
