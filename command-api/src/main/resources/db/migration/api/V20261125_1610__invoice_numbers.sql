-- The last invoice number handed out per issuer prefix and year. It is taken with a row lock in
-- the transaction that appends the invoice, so a number exists exactly when its invoice does:
-- sequential, without gaps, and independent of the event store's global index.
CREATE TABLE api.invoice_number_series (
    prefix      VARCHAR(32) NOT NULL,
    year        INTEGER     NOT NULL,
    last_number BIGINT      NOT NULL,
    CONSTRAINT invoice_number_series_pk PRIMARY KEY (prefix, year)
);
