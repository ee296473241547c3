package dev.tally.replay.reconcile;

import dev.tally.integrations.orb.OrbClient;
import dev.tally.integrations.orb.OrbClientSettings;
import dev.tally.integrations.orb.OrbRetryListener;
import dev.tally.integrations.stripe.StripeConnection;
import dev.tally.replay.ExitCodes;
import dev.tally.replay.connection.DatabaseOptions;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code reconcile --period P}: the ledger's month against Orb and Stripe, read through their APIs
 * with the same clients the server uses. Writes nothing anywhere.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = {"Compares one month of the ledger with Orb and Stripe, read through their APIs.",
                "Orb: for each account and meter, the number of usage events and their total quantity (events"
                        + " whose timestamp falls in the month, looked up in Orb by the keys the usage sync gave them).",
                "Stripe: each invoice of the month with a total above zero has one Stripe invoice with the same"
                        + " total, amount paid and state; Stripe invoices naming a ledger invoice that does not exist"
                        + " are reported.",
                "Every mismatch is listed with the ledger's figure and the other side's. A side with no API key"
                        + " is skipped and said so; at least one is needed."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:everything agrees", "1:mismatches (listed)",
                "2:bad options, no API key, a service or the database unreachable"})
public final class ReconcileCommand implements Callable<Integer> {

    @Mixin
    private DatabaseOptions database;

    @Spec
    private CommandSpec spec;

    @Option(names = "--period", required = true, paramLabel = "YYYY-MM", description = "The month (UTC), e.g. 2026-10.")
    private String period;

    @Option(names = "--orb-api-key", paramLabel = "KEY", defaultValue = "${env:TALLY_ORB_API_KEY}",
            description = "Orb API key (default: TALLY_ORB_API_KEY); without one Orb is skipped.")
    private String orbApiKey;

    @Option(names = "--orb-base-url", paramLabel = "URL",
            defaultValue = "${env:TALLY_ORB_BASE_URL:-" + OrbClientSettings.DEFAULT_BASE_URL + "}",
            description = "Orb API base URL (default: TALLY_ORB_BASE_URL, else ${DEFAULT-VALUE}).")
    private String orbBaseUrl;

    @Option(names = "--stripe-api-key", paramLabel = "KEY", defaultValue = "${env:TALLY_STRIPE_API_KEY}",
            description = "Stripe secret key (default: TALLY_STRIPE_API_KEY); without one Stripe is skipped.")
    private String stripeApiKey;

    @Option(names = "--stripe-base-url", paramLabel = "URL", defaultValue = "${env:TALLY_STRIPE_BASE_URL}",
            description = "Stripe API base URL (default: TALLY_STRIPE_BASE_URL, else https://api.stripe.com).")
    private String stripeBaseUrl;

    @Override
    public Integer call() {
        ReconcilePeriod month;
        try {
            month = ReconcilePeriod.parse(period);
        } catch (IllegalArgumentException invalid) {
            throw new ParameterException(spec.commandLine(), invalid.getMessage());
        }
        boolean orb = orbApiKey != null && !orbApiKey.isBlank();
        boolean stripe = stripeApiKey != null && !stripeApiKey.isBlank();
        if (!orb && !stripe) {
            throw new ParameterException(spec.commandLine(),
                    "nothing to reconcile against: give --orb-api-key or --stripe-api-key (or TALLY_ORB_API_KEY, TALLY_STRIPE_API_KEY)");
        }
        PrintWriter out = spec.commandLine().getOut();
        LedgerPeriod ledger = LedgerPeriod.read(database.database(), month);
        out.printf("ledger %s: %d usage total(s) over %d account(s), %d invoice(s) to collect (%d events read)%n",
                month, ledger.usage().size(), ledger.usageKeysByAccount().size(), ledger.invoicesToCollect().size(),
                ledger.eventsRead());
        Reconciliation reconciliation = new Reconciliation(ledger);
        List<Mismatch> mismatches = new ArrayList<>();
        if (orb) {
            OrbClient client = new OrbClient(OrbClientSettings.of(orbBaseUrl, orbApiKey), OrbRetryListener.NONE,
                    Clock.systemUTC());
            List<Mismatch> found = reconciliation.usageAgainst(new OrbApiUsage(client, month));
            out.printf("orb: %d mismatch(es)%n", found.size());
            mismatches.addAll(found);
        } else {
            out.println("orb: skipped (no API key)");
        }
        if (stripe) {
            List<Mismatch> found = reconciliation.invoicesAgainst(new StripeApiInvoices(
                    StripeConnection.client(stripeApiKey, stripeBaseUrl)));
            out.printf("stripe: %d mismatch(es)%n", found.size());
            mismatches.addAll(found);
        } else {
            out.println("stripe: skipped (no API key)");
        }
        mismatches.forEach(out::println);
        out.println(mismatches.isEmpty() ? "OK: everything agrees" : "MISMATCH: " + mismatches.size() + " difference(s)");
        out.flush();
        return mismatches.isEmpty() ? ExitCodes.OK : ExitCodes.FINDING;
    }
}
