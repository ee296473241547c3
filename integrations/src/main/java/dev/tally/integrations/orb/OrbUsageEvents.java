package dev.tally.integrations.orb;

import dev.tally.ledger.api.usage.UsageRecorded;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A ledger usage event as an Orb event: the account id as Orb's external customer id, the meter as
 * the event name, the usage's own flat properties plus the quantity as a number under
 * {@value #QUANTITY_PROPERTY} (which wins over a usage property of the same name: Orb's metric must
 * sum what the ledger rated). Non-flat property values (nested objects, lists, nulls) are left out,
 * because Orb refuses them and the ledger keeps them anyway.
 */
public final class OrbUsageEvents {

    public static final String QUANTITY_PROPERTY = "quantity";

    private OrbUsageEvents() {
    }

    public static OrbEvent of(UsageRecorded usage) {
        Map<String, Object> properties = new LinkedHashMap<>();
        usage.properties().forEach((name, value) -> {
            if (value instanceof Number || value instanceof Boolean || value instanceof String) {
                properties.put(name, value);
            }
        });
        properties.put(QUANTITY_PROPERTY, usage.quantity());
        return new OrbEvent(OrbIdempotencyKeys.usageEvent(usage.accountId(), usage.idempotencyKey()),
                usage.accountId(), usage.meter(), usage.timestamp(), properties);
    }
}
