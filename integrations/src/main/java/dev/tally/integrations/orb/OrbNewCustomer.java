package dev.tally.integrations.orb;

import java.util.Map;
import java.util.Objects;

/** The body of {@code POST /v1/customers}; Orb requires {@code name} and {@code email}. */
public record OrbNewCustomer(String externalCustomerId, String name, String email, String currency,
                             Map<String, String> metadata) {

    public OrbNewCustomer {
        Objects.requireNonNull(externalCustomerId, "externalCustomerId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(email, "email");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
