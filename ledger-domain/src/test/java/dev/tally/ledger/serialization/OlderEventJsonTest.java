package dev.tally.ledger.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageRecorded;
import java.time.Instant;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.junit.jupiter.api.Test;

// Goal: events stored before a member was added still read, the missing member meaning its documented default.
class OlderEventJsonTest {

    private final LedgerSerializer serializer = LedgerSerializer.over(LedgerJson.newMapper());

    @Test
    void anAccountOpenedBeforePaymentTermsIsOnTheDefaultThirtyDays() {
        AccountOpened opened = read(AccountOpened.class, """
                {"accountId":"acme","name":"Acme","currency":"USD","planId":"standard","billingAnchorDay":1,
                 "billingStart":"2026-02-01T00:00:00Z","lowBalanceThreshold":null,"email":null,
                 "openedAt":"2026-02-01T10:00:00Z"}""");

        assertThat(opened.paymentTermsDays()).isEqualTo(30);
        assertThat(opened.billingStart()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
    }

    @Test
    void anInvoiceIssuedBeforeDueDatesAndStatedPricesIsDueThirtyDaysAfterIssueAndStatesNoPrice() {
        InvoiceIssued issued = read(InvoiceIssued.class, """
                {"accountId":"acme","invoiceId":"inv_1","number":"TLY-2026-000002","currency":"USD",
                 "periodStart":"2026-03-01T00:00:00Z","periodEnd":"2026-04-01T00:00:00Z",
                 "lines":[{"kind":"usage","meter":"gpu_seconds","periodStart":"2026-03-01T00:00:00Z","quantity":20,
                   "planVersion":1,"chargeId":null,"description":"gpu_seconds usage",
                   "amount":{"currency":"USD","amount":10.00},"exactAmount":{"currency":"USD","amount":10.00},
                   "revenueAccount":"revenue:usage:gpu_seconds"}],
                 "subtotal":{"currency":"USD","amount":10.00},"creditsApplied":{"currency":"USD","amount":0},
                 "total":{"currency":"USD","amount":10.00},"billedPeriods":["2026-03-01T00:00:00Z"],
                 "billedUncovered":{"currency":"USD","amount":10.00},
                 "issueFunding":{"drawn":[],"restored":[],"uncoveredChange":{"currency":"USD","amount":0}},
                 "rounding":{"currency":"USD","amount":0},"creditCarriedForward":{"currency":"USD","amount":0},
                 "settlements":[],"issuedAt":"2026-04-01T01:00:00Z"}""");

        assertThat(issued.dueAt()).isEqualTo(Instant.parse("2026-05-01T01:00:00Z"));
        assertThat(issued.total().amount()).isEqualByComparingTo("10.00");
        // Its usage line stated no price: the document shows none rather than a guess.
        assertThat(issued.lines().get(0).price()).isNull();
        assertThat(issued.lines().get(0).cumulativeQuantity()).isNull();
    }

    @Test
    void lateUsageRecordedBeforeTheMinimumRuleIsCoveredByNothingAndFundedWhole() {
        UsageRecorded usage = read(UsageRecorded.class, """
                {"accountId":"acme","idempotencyKey":"late-1","meter":"gpu_seconds","quantity":3214,
                 "timestamp":"2026-10-20T00:00:00Z","properties":{},"periodStart":"2026-10-01T00:00:00Z",
                 "planId":"minimum-50","planVersion":1,"cumulativeQuantity":3214,
                 "accrual":{"currency":"USD","amount":32.14},
                 "funding":{"drawn":[],"restored":[],"uncoveredChange":{"currency":"USD","amount":32.14}},
                 "late":true,"recordedAt":"2026-11-10T00:00:00Z"}""");

        assertThat(usage.coveredByMinimum()).isEqualTo(Money.zero("USD"));
        assertThat(usage.billedAccrual().amount()).isEqualByComparingTo("32.14");
        UsageBatchRecorded batch = read(UsageBatchRecorded.class, """
                {"accountId":"acme","usages":[{"accountId":"acme","idempotencyKey":"late-2","meter":"gpu_seconds",
                 "quantity":1,"timestamp":"2026-10-20T00:00:00Z","properties":{},"periodStart":"2026-10-01T00:00:00Z",
                 "planId":"minimum-50","planVersion":1,"cumulativeQuantity":3215,
                 "accrual":{"currency":"USD","amount":0.01},
                 "funding":{"drawn":[],"restored":[],"uncoveredChange":{"currency":"USD","amount":0.01}},
                 "late":true,"recordedAt":"2026-11-10T00:00:00Z"}]}""");
        assertThat(batch.usages().get(0).coveredByMinimum()).isEqualTo(Money.zero("USD"));
    }

    /** Reads {@code json} as the event store hands a stored payload to Axon. */
    private <T> T read(Class<T> type, String json) {
        return serializer.deserialize(new SimpleSerializedObject<>(json, String.class,
                new SimpleSerializedType(type.getName(), null)));
    }
}
