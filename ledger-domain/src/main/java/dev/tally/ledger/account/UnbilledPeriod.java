package dev.tally.ledger.account;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tally.ledger.api.charge.ChargeRecorded;
import dev.tally.ledger.api.credit.CreditMovement;
import dev.tally.ledger.api.credit.Funding;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one billing period holds that no invoice has billed yet: usage per meter, charges, and the
 * credit they drew per grant. Before the period is invoiced this is the period itself; after, it
 * is its late usage and charges, which the next invoice bills.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class UnbilledPeriod {

    // Sorted so that invoice lines come out in the same order after a snapshot round trip.
    private final TreeMap<String, MeterUsage> meters;
    private final List<ChargeRecorded> charges;
    private final TreeMap<String, BigDecimal> creditUsed;

    UnbilledPeriod() {
        this(new TreeMap<>(), new ArrayList<>(), new TreeMap<>());
    }

    @JsonCreator
    UnbilledPeriod(@JsonProperty("meters") Map<String, MeterUsage> meters,
                   @JsonProperty("charges") List<ChargeRecorded> charges,
                   @JsonProperty("creditUsed") Map<String, BigDecimal> creditUsed) {
        this.meters = new TreeMap<>(meters);
        this.charges = new ArrayList<>(charges);
        this.creditUsed = new TreeMap<>(creditUsed);
    }

    void addUsage(String meter, BigDecimal quantity, BigDecimal accrual, BigDecimal covered, int planVersion,
                  Funding funding) {
        meters.put(meter, meters.getOrDefault(meter, MeterUsage.NONE).plus(quantity, accrual, covered, planVersion));
        addCreditUse(funding);
    }

    void addCharge(ChargeRecorded charge) {
        charges.add(charge);
        addCreditUse(charge.funding());
    }

    private void addCreditUse(Funding funding) {
        for (CreditMovement drawn : funding.drawn()) {
            creditUsed.merge(drawn.grantId(), drawn.amount().amount(), BigDecimal::add);
        }
        for (CreditMovement restored : funding.restored()) {
            creditUsed.merge(restored.grantId(), restored.amount().amount().negate(), BigDecimal::add);
        }
    }

    Map<String, MeterUsage> meters() {
        return meters;
    }

    List<ChargeRecorded> charges() {
        return charges;
    }

    Map<String, BigDecimal> creditUsed() {
        return creditUsed;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UnbilledPeriod that && meters.equals(that.meters) && charges.equals(that.charges)
                && creditUsed.equals(that.creditUsed);
    }

    @Override
    public int hashCode() {
        return meters.hashCode();
    }
}
