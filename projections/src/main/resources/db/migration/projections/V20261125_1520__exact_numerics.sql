-- Amounts and quantities as unconstrained NUMERIC: PostgreSQL then keeps every digit the ledger
-- computed (a quantity and a unit price of 18 decimals each make a 36-decimal accrual) and no
-- accrual, however large, can overflow a column and stop the projection processor.
ALTER TABLE projections.account
    ALTER COLUMN low_balance_threshold TYPE NUMERIC,
    ALTER COLUMN credit_balance TYPE NUMERIC,
    ALTER COLUMN unbilled TYPE NUMERIC,
    ALTER COLUMN invoiced_outstanding TYPE NUMERIC,
    ALTER COLUMN unapplied_cash TYPE NUMERIC;
ALTER TABLE projections.credit_grant
    ALTER COLUMN amount TYPE NUMERIC,
    ALTER COLUMN remaining TYPE NUMERIC;
ALTER TABLE projections.usage_daily
    ALTER COLUMN quantity TYPE NUMERIC,
    ALTER COLUMN accrued TYPE NUMERIC;
ALTER TABLE projections.journal_posting
    ALTER COLUMN debit TYPE NUMERIC,
    ALTER COLUMN credit TYPE NUMERIC;
