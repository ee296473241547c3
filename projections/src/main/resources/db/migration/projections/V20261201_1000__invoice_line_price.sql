-- The price a usage line states (spec section 5, the invoice document): the meter's price as the
-- plan version states it, as the ledger's JSON of it, and the period's quantity after the line's
-- usage, from which the document tells the tiers reached. Lines issued before either was recorded
-- have neither, and their document states no price rather than a guessed one.
ALTER TABLE projections.invoice_line
    ADD COLUMN price               TEXT,
    ADD COLUMN cumulative_quantity NUMERIC;
