package dev.tally.integrations.orb.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the fake Orb knows: customers, ingested events (by idempotency key, at most once) and credit
 * ledgers. Ingest validation follows PROTOCOLS A.1; a batch with any invalid event ingests nothing
 * and lists the failures in {@code validation_failed}.
 */
public final class FakeOrbState {

    /** An event Orb accepted. */
    public record IngestedEvent(String idempotencyKey, String customerId, String externalCustomerId,
                                String eventName, Instant timestamp, JsonNode properties) {
    }

    /** A credit ledger entry Orb recorded. */
    public record LedgerEntry(String id, String customerId, String entryType, BigDecimal amount, String blockId,
                              JsonNode request) {
    }

    /** A credit block and what is left of it. */
    public record Block(String id, String customerId, BigDecimal initial, BigDecimal balance, String expiryDate) {
    }

    private static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);

    private final Clock clock;
    private final Map<String, ObjectNode> customers = new LinkedHashMap<>();
    private final Map<String, String> customerByExternal = new HashMap<>();
    private final Map<String, IngestedEvent> events = new LinkedHashMap<>();
    private final Map<String, String> eventBodies = new HashMap<>();
    private final List<LedgerEntry> entries = new ArrayList<>();
    private final Map<String, Block> blocks = new LinkedHashMap<>();
    private int batchCap = 500;
    private Duration gracePeriod = Duration.ofDays(1);
    private long nextId = 1;

    FakeOrbState(Clock clock) {
        this.clock = clock;
    }

    /** More events than this in one ingest request answers 413 (an assumption: Orb publishes no number). */
    public synchronized void batchCap(int cap) {
        this.batchCap = cap;
    }

    /** Events older than now minus this fail validation (Orb's per-account grace period). */
    public synchronized void gracePeriod(Duration grace) {
        this.gracePeriod = grace;
    }

    public synchronized List<IngestedEvent> events() {
        return List.copyOf(events.values());
    }

    public synchronized List<IngestedEvent> eventsOf(String externalCustomerId) {
        return events.values().stream().filter(e -> externalCustomerId.equals(e.externalCustomerId())).toList();
    }

    /** The sum of one numeric property over a customer's events of one name: what Orb would bill. */
    public synchronized BigDecimal total(String externalCustomerId, String eventName, String property) {
        return eventsOf(externalCustomerId).stream().filter(e -> e.eventName().equals(eventName))
                .map(e -> e.properties().path(property).decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    public synchronized Optional<ObjectNode> customerByExternalId(String externalCustomerId) {
        String id = customerByExternal.get(externalCustomerId);
        return Optional.ofNullable(id == null ? null : customers.get(id).deepCopy());
    }

    public synchronized List<ObjectNode> customers() {
        return customers.values().stream().map(ObjectNode::deepCopy).toList();
    }

    public synchronized List<LedgerEntry> ledgerEntriesOf(String externalCustomerId) {
        String id = customerByExternal.get(externalCustomerId);
        return entries.stream().filter(e -> e.customerId().equals(id)).toList();
    }

    public synchronized List<Block> blocksOf(String externalCustomerId) {
        String id = customerByExternal.get(externalCustomerId);
        return blocks.values().stream().filter(b -> b.customerId().equals(id)).toList();
    }

    /** A customer someone else created (by hand in Orb's UI, or long enough ago that its request key expired). */
    public synchronized String seedCustomer(String externalCustomerId, String name, String email) {
        return createCustomer(FakeOrbAnswer.JSON.createObjectNode().put("external_customer_id", externalCustomerId)
                .put("name", name).put("email", email)).body().path("id").asText();
    }

    synchronized String customerIdOfExternal(String externalCustomerId) {
        return customerByExternal.get(externalCustomerId);
    }

    synchronized FakeOrbAnswer createCustomer(JsonNode body) {
        List<String> errors = new ArrayList<>();
        for (String required : List.of("name", "email")) {
            if (body == null || !body.path(required).isTextual() || body.path(required).asText().isBlank()) {
                errors.add(required + ": field required");
            }
        }
        if (!errors.isEmpty()) {
            return FakeOrbAnswer.invalid("Customer is invalid", errors);
        }
        String external = body.path("external_customer_id").asText(null);
        if (external != null && customerByExternal.containsKey(external)) {
            return FakeOrbAnswer.problem(400, "400-duplicate-resource-creation", "Duplicate resource creation",
                    "A customer with external_customer_id " + external + " already exists");
        }
        String id = "cus_" + nextId++;
        ObjectNode customer = FakeOrbAnswer.JSON.createObjectNode()
                .put("id", id)
                .put("external_customer_id", external)
                .put("name", body.path("name").asText())
                .put("email", body.path("email").asText())
                .put("currency", body.path("currency").asText(null))
                .put("created_at", clock.instant().toString());
        customer.set("metadata", body.path("metadata").isObject() ? body.get("metadata")
                : FakeOrbAnswer.JSON.createObjectNode());
        customers.put(id, customer);
        if (external != null) {
            customerByExternal.put(external, id);
        }
        return FakeOrbAnswer.ok(customer.deepCopy());
    }

    synchronized FakeOrbAnswer customer(String id) {
        ObjectNode customer = id == null ? null : customers.get(id);
        return customer == null ? FakeOrbAnswer.notFound("customer") : FakeOrbAnswer.ok(customer.deepCopy());
    }

    /** Orb's event search: the events under the given ids, within the timeframe when one is given. */
    synchronized FakeOrbAnswer searchEvents(JsonNode body) {
        if (body == null || !body.path("event_ids").isArray() || body.get("event_ids").isEmpty()) {
            return FakeOrbAnswer.invalid("Body is invalid", List.of("event_ids: field required"));
        }
        if (body.get("event_ids").size() > 500) {
            return FakeOrbAnswer.invalid("Body is invalid", List.of("event_ids: at most 500 items"));
        }
        Instant from = body.hasNonNull("timeframe_start")
                ? OffsetDateTime.parse(body.get("timeframe_start").asText()).toInstant() : Instant.MIN;
        Instant to = body.hasNonNull("timeframe_end")
                ? OffsetDateTime.parse(body.get("timeframe_end").asText()).toInstant() : Instant.MAX;
        ArrayNode data = FakeOrbAnswer.JSON.createArrayNode();
        for (JsonNode id : body.get("event_ids")) {
            IngestedEvent event = events.get(id.asText());
            if (event != null && !event.timestamp().isBefore(from) && event.timestamp().isBefore(to)) {
                ObjectNode found = data.addObject()
                        .put("id", event.idempotencyKey())
                        .put("customer_id", event.customerId() != null ? event.customerId()
                                : customerByExternal.get(event.externalCustomerId()))
                        .put("external_customer_id", event.externalCustomerId())
                        .put("event_name", event.eventName())
                        .put("timestamp", event.timestamp().toString())
                        .put("deprecated", false);
                found.set("properties", event.properties().deepCopy());
            }
        }
        ObjectNode answer = FakeOrbAnswer.JSON.createObjectNode();
        answer.set("data", data);
        return FakeOrbAnswer.ok(answer);
    }

    /** Forgets an event as if Orb had lost it (a test plants a mismatch with it). */
    public synchronized void forgetEvent(String idempotencyKey) {
        events.remove(idempotencyKey);
        eventBodies.remove(idempotencyKey);
    }

    synchronized FakeOrbAnswer ingest(JsonNode body, boolean debug) {
        if (body == null || !body.path("events").isArray()) {
            return FakeOrbAnswer.invalid("Body is invalid", List.of("events: field required"));
        }
        JsonNode batch = body.get("events");
        if (batch.size() > batchCap) {
            return FakeOrbAnswer.problem(413, "413-request-too-large", "Request too large",
                    "At most " + batchCap + " events per request");
        }
        Map<String, String> bodiesInBatch = new HashMap<>();
        for (JsonNode event : batch) {
            String key = event.path("idempotency_key").asText(null);
            String previous = key == null ? null : bodiesInBatch.putIfAbsent(key, event.toString());
            if (previous != null && !previous.equals(event.toString())) {
                return FakeOrbAnswer.invalid("Duplicate idempotency_key with differing bodies in one batch",
                        List.of("events: idempotency_key " + key + " appears with differing bodies"));
            }
        }
        ArrayNode failed = FakeOrbAnswer.JSON.createArrayNode();
        for (JsonNode event : batch) {
            List<String> errors = validate(event);
            if (!errors.isEmpty()) {
                ObjectNode failure = failed.addObject().put("idempotency_key", event.path("idempotency_key").asText(""));
                errors.forEach(failure.putArray("validation_errors")::add);
            }
        }
        if (!failed.isEmpty()) {
            FakeOrbAnswer answer = FakeOrbAnswer.invalid("Some events failed validation", List.of());
            ((ObjectNode) answer.body()).set("validation_failed", failed);
            return answer;
        }
        ArrayNode ingested = FakeOrbAnswer.JSON.createArrayNode();
        ArrayNode duplicate = FakeOrbAnswer.JSON.createArrayNode();
        for (JsonNode event : batch) {
            String key = event.get("idempotency_key").asText();
            if (events.containsKey(key)) {
                duplicate.add(key);
                continue;
            }
            String external = event.path("external_customer_id").asText(null);
            String customerId = event.path("customer_id").asText(null);
            events.put(key, new IngestedEvent(key, customerId, external, event.get("event_name").asText(),
                    OffsetDateTime.parse(event.get("timestamp").asText()).toInstant(), event.get("properties")));
            eventBodies.put(key, event.toString());
            ingested.add(key);
        }
        ObjectNode answer = FakeOrbAnswer.JSON.createObjectNode();
        answer.putArray("validation_failed");
        if (debug) {
            ObjectNode debugNode = answer.putObject("debug");
            debugNode.set("duplicate", duplicate);
            debugNode.set("ingested", ingested);
        }
        return FakeOrbAnswer.ok(answer);
    }

    private List<String> validate(JsonNode event) {
        List<String> errors = new ArrayList<>();
        for (String required : List.of("event_name", "idempotency_key", "timestamp")) {
            if (!event.path(required).isTextual() || event.path(required).asText().isEmpty()) {
                errors.add(required + ": field required");
            }
        }
        boolean byId = event.hasNonNull("customer_id");
        boolean byExternal = event.hasNonNull("external_customer_id");
        if (byId == byExternal) {
            errors.add("exactly one of customer_id and external_customer_id is required");
        } else if (byId && !customers.containsKey(event.get("customer_id").asText())) {
            errors.add("customer_id: no customer " + event.get("customer_id").asText());
        }
        if (event.path("timestamp").isTextual()) {
            try {
                Instant at = OffsetDateTime.parse(event.get("timestamp").asText()).toInstant();
                Instant now = clock.instant();
                if (at.isAfter(now.plus(FUTURE_TOLERANCE))) {
                    errors.add("timestamp: more than 5 minutes in the future");
                } else if (at.isBefore(now.minus(gracePeriod))) {
                    errors.add("timestamp: older than the grace period; use a backfill");
                }
            } catch (DateTimeParseException e) {
                errors.add("timestamp: not an ISO-8601 date-time");
            }
        }
        JsonNode properties = event.get("properties");
        if (properties == null || !properties.isObject()) {
            errors.add("properties: field required");
        } else {
            properties.fields().forEachRemaining(property -> {
                JsonNode value = property.getValue();
                if (!(value.isNumber() || value.isBoolean() || value.isTextual())) {
                    errors.add("properties." + property.getKey() + ": only numbers, booleans and strings");
                }
            });
        }
        return errors;
    }

    synchronized FakeOrbAnswer createLedgerEntry(String customerId, JsonNode body) {
        if (customerId == null || !customers.containsKey(customerId)) {
            return FakeOrbAnswer.notFound("customer");
        }
        if (body == null) {
            return FakeOrbAnswer.invalid("Body required", List.of("entry_type: field required"));
        }
        String type = body.path("entry_type").asText("");
        JsonNode amountNode = body.get("amount");
        boolean amountRequired = !type.equals("expiration_change");
        if (amountRequired && (amountNode == null || !amountNode.isNumber())) {
            return FakeOrbAnswer.invalid("Ledger entry is invalid", List.of("amount: a number is required"));
        }
        BigDecimal amount = amountNode == null ? null : amountNode.decimalValue();
        if (amount != null && amount.signum() <= 0) {
            return FakeOrbAnswer.invalid("Ledger entry is invalid", List.of("amount: must be positive"));
        }
        Block block;
        switch (type) {
            case "increment" -> {
                if (body.hasNonNull("per_unit_cost_basis") && !body.get("per_unit_cost_basis").isTextual()) {
                    return FakeOrbAnswer.invalid("Ledger entry is invalid", List.of("per_unit_cost_basis: a string"));
                }
                block = new Block("blk_" + nextId++, customerId, amount, amount, body.path("expiry_date").asText(null));
                blocks.put(block.id(), block);
            }
            case "void" -> {
                block = blocks.get(body.path("block_id").asText(""));
                if (block == null || !block.customerId().equals(customerId)) {
                    return FakeOrbAnswer.invalid("Ledger entry is invalid", List.of("block_id: no such credit block"));
                }
                if (amount.compareTo(block.initial()) > 0) {
                    return FakeOrbAnswer.invalid("Ledger entry is invalid",
                            List.of("amount: exceeds the block's initial balance"));
                }
                block = new Block(block.id(), customerId, block.initial(), block.balance().subtract(amount).max(
                        BigDecimal.ZERO), block.expiryDate());
                blocks.put(block.id(), block);
            }
            case "expiration_change" -> {
                String target = body.path("target_expiry_date").asText("");
                try {
                    LocalDate.parse(target);
                } catch (DateTimeParseException e) {
                    return FakeOrbAnswer.invalid("Ledger entry is invalid", List.of("target_expiry_date: YYYY-MM-DD"));
                }
                block = blocks.get(body.path("block_id").asText(""));
                if (block == null) {
                    return FakeOrbAnswer.invalid("Ledger entry is invalid", List.of("block_id: no such credit block"));
                }
                block = new Block(block.id(), customerId, block.initial(), block.balance(), target);
                blocks.put(block.id(), block);
            }
            case "decrement" -> block = null;
            default -> {
                return FakeOrbAnswer.invalid("Ledger entry is invalid", List.of("entry_type: unknown " + type));
            }
        }
        LedgerEntry entry = new LedgerEntry("le_" + nextId++, customerId, type, amount,
                block == null ? null : block.id(), body.deepCopy());
        entries.add(entry);
        ObjectNode answer = FakeOrbAnswer.JSON.createObjectNode()
                .put("id", entry.id())
                .put("entry_type", type)
                .put("entry_status", "committed")
                .put("created_at", clock.instant().toString())
                .put("ledger_sequence_number", entries.size());
        if (amount != null) {
            answer.put("amount", amount);
        }
        answer.putObject("customer").put("id", customerId)
                .put("external_customer_id", customers.get(customerId).path("external_customer_id").asText(null));
        if (block != null) {
            answer.putObject("credit_block").put("id", block.id()).put("expiry_date", block.expiryDate());
        }
        return FakeOrbAnswer.ok(answer);
    }

    synchronized FakeOrbAnswer blocks(String customerId) {
        if (customerId == null || !customers.containsKey(customerId)) {
            return FakeOrbAnswer.notFound("customer");
        }
        ObjectNode answer = FakeOrbAnswer.JSON.createObjectNode();
        ArrayNode data = answer.putArray("data");
        blocks.values().stream().filter(b -> b.customerId().equals(customerId)).forEach(b -> data.addObject()
                .put("id", b.id()).put("balance", b.balance()).put("expiry_date", b.expiryDate()));
        return FakeOrbAnswer.ok(answer);
    }
}
