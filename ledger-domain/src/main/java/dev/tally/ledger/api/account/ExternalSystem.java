package dev.tally.ledger.api.account;

/** The services Tally keeps in step with the ledger; each knows the account by its own customer id. */
public enum ExternalSystem {
    ORB,
    STRIPE
}
