-- The journal's redelivery guard: the last aggregate sequence whose postings it wrote per account.
-- Postings are bulk-loaded with COPY, which cannot skip rows that exist, so the guard decides
-- beforehand which events are new.
CREATE TABLE projections.journal_progress (
    account_id    VARCHAR(255) NOT NULL,
    last_sequence BIGINT       NOT NULL,
    CONSTRAINT journal_progress_pk PRIMARY KEY (account_id)
);
INSERT INTO projections.journal_progress (account_id, last_sequence)
SELECT p.account_id, max(e.sequenceNumber)
FROM projections.journal_posting p
JOIN events.domain_event_entry e ON e.eventIdentifier = p.event_id
GROUP BY p.account_id;
