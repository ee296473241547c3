-- The integrations' own bookkeeping (webhook inbox, Orb credit blocks, ...). The ledger itself
-- stays in the event store: these tables only remember what was already said to Orb and Stripe.
CREATE SCHEMA IF NOT EXISTS integrations;
