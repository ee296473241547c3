-- How collecting an invoice went, as Stripe reported it: failed attempts and whether it fell overdue.
ALTER TABLE projections.invoice
    ADD COLUMN payment_failures     INTEGER       NOT NULL DEFAULT 0,
    ADD COLUMN last_payment_failure VARCHAR(4096),
    ADD COLUMN overdue_since        TIMESTAMPTZ;
