package dev.tally.ledger.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.tally.ledger.LedgerSettings;
import dev.tally.ledger.api.account.OpenAccount;
import dev.tally.ledger.api.charge.RecordCharge;
import dev.tally.ledger.api.credit.CreditKind;
import dev.tally.ledger.api.credit.GrantCredit;
import dev.tally.ledger.api.credit.VoidCredit;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.api.payment.RecordPayment;
import dev.tally.ledger.api.payment.RefundPayment;
import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.plan.Tier;
import dev.tally.ledger.api.usage.RecordUsage;
import dev.tally.ledger.api.usage.UsageOutcome;
import dev.tally.ledger.api.usage.UsageStatus;
import dev.tally.ledger.api.usage.UsageSubmission;
import dev.tally.ledger.testing.InMemoryPlanCatalog;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// Goal: an account snapshot (the aggregate as JSON, as the server's serializer writes it) restores exactly the
// state its events built, and the restored account decides exactly as the original would.
class AccountSnapshotTest {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final Instant TS = Instant.parse("2026-03-09T10:00:00Z");

    private final ObjectMapper json = serverLikeMapper();
    private AggregateTestFixture<Account> fixture;
    private InMemoryPlanCatalog plans;

    @BeforeEach
    void setUp() {
        plans = new InMemoryPlanCatalog();
        plans.publish("p", "USD", Instant.parse("2026-01-01T00:00:00Z"), MeterPrice.perUnit("gpu_seconds", "0.5"),
                MeterPrice.volume("tokens", List.of(new Tier(new BigDecimal("10"), new BigDecimal("1.00"), null),
                        new Tier(null, new BigDecimal("0.50"), null))));
        fixture = new AggregateTestFixture<>(Account.class);
        fixture.registerInjectableResource(LedgerSettings.withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
        fixture.registerInjectableResource(plans);
    }

    @Test
    void canRestoreAnAccountFromItsSnapshotAndDecideAlike() throws Exception {
        Account original = accountAfterBusyHistory();
        String snapshot = json.writeValueAsString(original);
        Account restored = json.readValue(snapshot, Account.class);
        assertThat(json.writeValueAsString(restored)).isEqualTo(snapshot);
        // g1: 10 drawn by u2, 4 restored by u3's negative volume accrual, then 1.5 (c1) and 0.5 (u4) drawn.
        assertThat(snapshot).contains("\"remaining\":2.00", "\"tokens\":12", "\"unappliedCash\":7.25");

        // The restored account knows its keys, grants, periods and payments exactly as the original does.
        AggregateTestFixture<Account> fromSnapshot = new AggregateTestFixture<>(Account.class);
        fromSnapshot.registerInjectableResource(LedgerSettings.withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
        fromSnapshot.registerInjectableResource(plans);
        fromSnapshot.givenState(() -> restored)
                .when(new RecordUsage("acme", List.of(
                        new UsageSubmission("u1", "gpu_seconds", new BigDecimal("4.0"), TS, Map.of("region", "eu")),
                        new UsageSubmission("u2", "tokens", new BigDecimal("10"), TS, Map.of()),
                        new UsageSubmission("u9", "tokens", new BigDecimal("1"), TS, Map.of()))))
                .expectResultMessagePayloadMatching(org.hamcrest.Matchers.equalTo(List.of(
                        UsageOutcome.duplicate("u1"),
                        UsageOutcome.rejected("u2", ErrorCode.IDEMPOTENCY_CONFLICT, "idempotencyKey u2 was used for different usage"),
                        new UsageOutcome("u9", UsageStatus.ACCEPTED, null, null))));
    }

    @Test
    void canRestoreAnAccountWithInvoicesAndSettlementsFromItsSnapshot() throws Exception {
        AtomicReference<Account> state = new AtomicReference<>();
        Instant february = Instant.parse("2026-02-01T00:00:00Z");
        fixture.registerInjectableResource(new dev.tally.ledger.testing.SequentialInvoiceNumbers());
        fixture.givenCommands(
                        new OpenAccount("acme", "Acme", "USD", "p", 1, february, null, null),
                        new RecordUsage("acme", List.of(new UsageSubmission("f1", "gpu_seconds", new BigDecimal("10"),
                                Instant.parse("2026-02-20T00:00:00Z"), Map.of()))),
                        new dev.tally.ledger.api.invoice.CloseBillingPeriod("acme", february),
                        new RecordUsage("acme", List.of(new UsageSubmission("late", "tokens", new BigDecimal("3"),
                                Instant.parse("2026-02-21T00:00:00Z"), Map.of()))),
                        new RecordCharge("acme", "c1", Money.of("USD", "1.5"), "setup", TS),
                        new RecordPayment("acme", "p1", Money.of("USD", "7"), "card", null))
                .when(new RefundPayment("acme", "r1", "p1", Money.of("USD", "3")))
                .expectState(state::set);
        String snapshot = json.writeValueAsString(state.get());
        Account restored = json.readValue(snapshot, Account.class);
        // As JSON trees: the order of the keys of a hash map is no part of the state.
        assertThat(json.readTree(json.writeValueAsString(restored))).isEqualTo(json.readTree(snapshot));
        assertThat(snapshot).contains("\"late\"", "TLY-2026-000001");

        // The February invoice (5.00) was paid by p1 and reopened for 1.00 by the refund; the late tokens wait for March.
        AggregateTestFixture<Account> fromSnapshot = new AggregateTestFixture<>(Account.class);
        fromSnapshot.registerInjectableResource(LedgerSettings.withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
        fromSnapshot.registerInjectableResource(plans);
        fromSnapshot.registerInjectableResource(new dev.tally.ledger.testing.SequentialInvoiceNumbers());
        fromSnapshot.givenState(() -> restored)
                .when(new dev.tally.ledger.api.invoice.CloseBillingPeriod("acme", february))
                .expectResultMessagePayloadMatching(org.hamcrest.Matchers.equalTo(
                        dev.tally.ledger.api.outcome.CommandOutcome.duplicate()));
        Account restoredAgain = json.readValue(snapshot, Account.class);
        AggregateTestFixture<Account> paying = new AggregateTestFixture<>(Account.class);
        paying.registerInjectableResource(LedgerSettings.withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
        paying.registerInjectableResource(plans);
        paying.givenState(() -> restoredAgain)
                .when(new RecordPayment("acme", "p2", Money.of("USD", "1"), "card", null))
                .expectEventsMatching(dev.tally.ledger.testing.LedgerMatchers.exactly(new dev.tally.ledger.api.payment.PaymentRecorded("acme", "p2", Money.of("USD", "1"),
                        "card", null, List.of(new dev.tally.ledger.api.invoice.Settlement(
                        dev.tally.ledger.api.invoice.InvoiceIds.of("acme", february), "p2", Money.of("USD", "1.00"))),
                        Money.of("USD", "0.00"), NOW)));
    }

    private Account accountAfterBusyHistory() {
        AtomicReference<Account> state = new AtomicReference<>();
        fixture.givenCommands(
                        new OpenAccount("acme", "Acme", "USD", "p", 1, Instant.parse("2026-01-01T00:00:00Z"),
                                Money.of("USD", "5"), "a@acme.test"),
                        new GrantCredit("acme", "g1", Money.of("USD", "10"), CreditKind.PREPAID,
                                Instant.parse("2026-01-01T00:00:00Z"), null, null, "prepaid"),
                        new GrantCredit("acme", "g2", Money.of("USD", "2"), CreditKind.PROMOTIONAL,
                                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-06-01T00:00:00Z"), 10, null),
                        new RecordUsage("acme", List.of(
                                new UsageSubmission("u1", "gpu_seconds", new BigDecimal("4"), TS, Map.of("region", "eu")),
                                new UsageSubmission("u2", "tokens", new BigDecimal("10"), TS, Map.of("n", 3)),
                                new UsageSubmission("u3", "tokens", new BigDecimal("2"), TS, Map.of()))),
                        new VoidCredit("acme", "g2", "test"),
                        new RecordCharge("acme", "c1", Money.of("USD", "1.5"), "setup", TS),
                        new RecordPayment("acme", "p1", Money.of("USD", "9.25"), "card", "pi_1"),
                        new RefundPayment("acme", "r1", "p1", Money.of("USD", "2")))
                .when(new RecordUsage("acme", List.of(
                        new UsageSubmission("u4", "gpu_seconds", new BigDecimal("1"), TS, Map.of()))))
                .expectState(state::set);
        return state.get();
    }

    /** The serializer settings of the server's Axon configuration (AxonConfiguration.axonObjectMapper). */
    private static ObjectMapper serverLikeMapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        return mapper;
    }
}
