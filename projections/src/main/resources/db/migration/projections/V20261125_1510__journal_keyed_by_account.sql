-- The journal is read per account in ledger order; with that as the primary key every posting
-- maintains one index instead of two. (position, line) stays unique within an account.
ALTER TABLE projections.journal_posting DROP CONSTRAINT journal_posting_pk;
DROP INDEX IF EXISTS projections.journal_posting_account_idx;
ALTER TABLE projections.journal_posting ADD CONSTRAINT journal_posting_pk PRIMARY KEY (account_id, position, line);
