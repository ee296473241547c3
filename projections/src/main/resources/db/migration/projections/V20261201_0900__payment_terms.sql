-- Payment terms (spec section 5, "Due dates"): each account's terms in days and each invoice's due
-- date, its issue plus those terms. Rows written before either existed are on the default terms of
-- 30 days, which is also what a rebuild reads from their events; the defaults serve only that
-- backfill, so that a writer that forgets a value fails instead of guessing.
ALTER TABLE projections.account ADD COLUMN payment_terms_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE projections.account ALTER COLUMN payment_terms_days DROP DEFAULT;

ALTER TABLE projections.invoice ADD COLUMN due_at TIMESTAMPTZ;
UPDATE projections.invoice SET due_at = issued_at + INTERVAL '30 days';
ALTER TABLE projections.invoice ALTER COLUMN due_at SET NOT NULL;
