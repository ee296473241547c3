-- Identifiers are compared byte for byte. Under the database's default collation (often a libc
-- locale such as C.UTF-8 or en_US.UTF-8) every index comparison of these keys goes through
-- strcoll; under "C" it is a memcmp. Measured on the journal's primary key, that is most of what
-- an index insert costs. Equality is unchanged; orderings by these columns become byte order.
ALTER TABLE projections.account
    ALTER COLUMN account_id TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE projections.credit_grant
    ALTER COLUMN account_id TYPE VARCHAR(255) COLLATE "C",
    ALTER COLUMN grant_id TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE projections.usage_daily
    ALTER COLUMN account_id TYPE VARCHAR(255) COLLATE "C",
    ALTER COLUMN meter TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE projections.usage_progress
    ALTER COLUMN account_id TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE projections.journal_posting
    ALTER COLUMN account_id TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE projections.journal_progress
    ALTER COLUMN account_id TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE projections.invoice
    ALTER COLUMN invoice_id TYPE VARCHAR(64) COLLATE "C",
    ALTER COLUMN account_id TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE projections.invoice_line
    ALTER COLUMN invoice_id TYPE VARCHAR(64) COLLATE "C";
ALTER TABLE projections.invoice_progress
    ALTER COLUMN account_id TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE projections.billing_schedule
    ALTER COLUMN account_id TYPE VARCHAR(255) COLLATE "C";
