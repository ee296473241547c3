package dev.tally.replay.rerate;

import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.invoice.InvoiceLine;
import dev.tally.ledger.api.money.CurrencyUnits;
import dev.tally.ledger.api.money.Money;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The report as text: a header naming the invoice and the plans, a table of lines (real beside
 * rerated, with the difference), the invoice figures, and the re-run's notes. Amounts are written as
 * the API writes them: at least the currency's minor units, never in exponent form.
 */
final class RerateReportFormat {

    private static final String MISSING = "-";
    private static final String[] HEADINGS = {"kind", "meter/charge", "period", "quantity", "real plan",
            "rerated plan", "real", "rerated", "difference"};
    /** Columns written flush right: quantities and amounts. */
    private static final boolean[] RIGHT_ALIGNED = {false, false, false, true, false, false, true, true, true};

    private RerateReportFormat() {
    }

    static String format(RerateReport report) {
        InvoiceIssued real = report.real();
        StringBuilder text = new StringBuilder();
        text.append("Account ").append(real.accountId()).append(", billing period ")
                .append(day(real.periodStart())).append(" to ").append(day(real.periodEnd()).minusDays(1))
                .append(" (").append(real.currency()).append(")\n");
        text.append("Real invoice ").append(real.number()).append(" (").append(real.invoiceId()).append("), issued ")
                .append(real.issuedAt()).append(", plan ").append(report.accountPlanId()).append('\n');
        text.append("Rerated under plan ").append(report.chosenPlan().planId())
                .append(report.chosenPlan().version() == null ? " (the version in force at each usage)"
                        : " version " + report.chosenPlan().version())
                .append("; nothing was written to the ledger\n\n");

        List<String[]> rows = new ArrayList<>();
        rows.add(HEADINGS);
        for (LineComparison line : report.lines()) {
            rows.add(row(report, line));
        }
        rows.add(new String[HEADINGS.length]);
        rows.add(figure("subtotal", real.subtotal(), report.rerated().subtotal()));
        rows.add(figure("creditsApplied", real.creditsApplied(), report.rerated().creditsApplied()));
        rows.add(figure("total", real.total(), report.rerated().total()));
        if (real.creditCarriedForward().isPositive() || report.rerated().creditCarriedForward().isPositive()) {
            rows.add(figure("carried forward", real.creditCarriedForward(), report.rerated().creditCarriedForward()));
        }
        text.append(table(rows));

        text.append('\n').append(report.reproducesRealInvoice()
                ? "The rerated invoice is the real one, line for line and figure for figure.\n"
                : "Total difference: " + signed(report.totalDifference()) + " " + real.currency() + "\n");
        if (!report.notes().isEmpty()) {
            text.append("\nNotes from the re-run:\n");
            report.notes().forEach(note -> text.append("  - ").append(note).append('\n'));
        }
        return text.toString();
    }

    private static String[] row(RerateReport report, LineComparison comparison) {
        InvoiceLine line = comparison.either();
        String item = line.meter() != null ? line.meter() : line.chargeId() != null ? line.chargeId() : "";
        InvoiceLine real = comparison.real();
        InvoiceLine rerated = comparison.rerated();
        return new String[] {line.kind().wireName(), item, day(line.periodStart()).toString(),
                quantities(real, rerated),
                real == null || real.planVersion() == null ? "" : report.accountPlanId() + " v" + real.planVersion(),
                rerated == null || rerated.planVersion() == null ? ""
                        : report.reratedPlanOf(rerated.kind()) + " v" + rerated.planVersion(),
                real == null ? MISSING : amount(real.amount()),
                rerated == null ? MISSING : amount(rerated.amount()),
                signed(comparison.difference())};
    }

    /** One quantity when both sides billed the same, both when the chosen plan could not price some. */
    private static String quantities(InvoiceLine real, InvoiceLine rerated) {
        BigDecimal realQuantity = real == null ? null : real.quantity();
        BigDecimal reratedQuantity = rerated == null ? null : rerated.quantity();
        if (realQuantity == null && reratedQuantity == null) {
            return "";
        }
        if (realQuantity != null && reratedQuantity != null && realQuantity.compareTo(reratedQuantity) == 0) {
            return plain(realQuantity);
        }
        return (realQuantity == null ? MISSING : plain(realQuantity)) + " / "
                + (reratedQuantity == null ? MISSING : plain(reratedQuantity));
    }

    private static String[] figure(String name, Money real, Money rerated) {
        return new String[] {name, "", "", "", "", "", amount(real), amount(rerated), signed(rerated.minus(real))};
    }

    private static String table(List<String[]> rows) {
        int[] widths = new int[HEADINGS.length];
        for (String[] row : rows) {
            for (int column = 0; column < row.length; column++) {
                widths[column] = Math.max(widths[column], row[column] == null ? 0 : row[column].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int column = 0; column < row.length; column++) {
                String cell = row[column] == null ? "" : row[column];
                String padding = " ".repeat(widths[column] - cell.length());
                line.append(RIGHT_ALIGNED[column] ? padding + cell : cell + padding).append("  ");
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    static String amount(Money money) {
        BigDecimal normalized = CurrencyUnits.normalize(money.amount());
        int minorUnits = CurrencyUnits.minorUnits(money.currency());
        return normalized.setScale(Math.max(minorUnits, normalized.scale())).toPlainString();
    }

    private static String signed(Money money) {
        return money.isPositive() ? "+" + amount(money) : amount(money);
    }

    private static String plain(BigDecimal value) {
        return CurrencyUnits.normalize(value).toPlainString();
    }

    private static LocalDate day(java.time.Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
