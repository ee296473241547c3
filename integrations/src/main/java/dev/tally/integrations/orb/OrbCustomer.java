package dev.tally.integrations.orb;

/** An Orb customer: Orb's own id and the alias Tally gave it (the account id). */
public record OrbCustomer(String id, String externalCustomerId) {
}
