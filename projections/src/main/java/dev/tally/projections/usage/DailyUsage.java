package dev.tally.projections.usage;

import java.math.BigDecimal;
import java.time.LocalDate;

/** Usage of one meter on one UTC day: total quantity and accrued amount. */
public record DailyUsage(String meter, LocalDate day, BigDecimal quantity, BigDecimal accrued, long events) {
}
