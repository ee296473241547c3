package dev.tally.projections.invoice;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.serialization.LedgerJson;

/**
 * A usage line's stated price as the invoice_line table keeps it: the ledger's own JSON of the
 * {@link MeterPrice}, exactly as its event holds it, so that figures keep their precision and the
 * document reads back the price the plan stated.
 */
final class InvoiceLinePrices {

    private static final ObjectMapper JSON = LedgerJson.newMapper();

    private InvoiceLinePrices() {
    }

    static String toJson(MeterPrice price) {
        if (price == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(price);
        } catch (JsonProcessingException unwritable) {
            throw new IllegalStateException("a meter price is plain data: " + price, unwritable);
        }
    }

    static MeterPrice fromJson(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, MeterPrice.class);
        } catch (JsonProcessingException unreadable) {
            throw new IllegalStateException("invoice line price is not a meter price: " + json, unreadable);
        }
    }
}
