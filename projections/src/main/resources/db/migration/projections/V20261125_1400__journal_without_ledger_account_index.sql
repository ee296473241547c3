-- No read asks for postings by ledger account alone (the API pages an account's journal), and the
-- index cost every posting a second index insert at ingestion rates.
DROP INDEX IF EXISTS projections.journal_posting_ledger_account_idx;
