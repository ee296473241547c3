-- A journal row is identified by its event's place in the account's stream (aggregate sequence),
-- which is exact. A processor's tracking token is not: for an event that fills a gap (its
-- transaction committed after a later one) the token's position is the high-water mark, so two
-- events could share it. The event's global position is read from the event table instead.
ALTER TABLE projections.journal_posting ADD COLUMN sequence BIGINT;
UPDATE projections.journal_posting p SET sequence = e.sequenceNumber
FROM events.domain_event_entry e WHERE e.eventIdentifier = p.event_id;
DELETE FROM projections.journal_posting WHERE sequence IS NULL;
ALTER TABLE projections.journal_posting ALTER COLUMN sequence SET NOT NULL;
ALTER TABLE projections.journal_posting DROP CONSTRAINT journal_posting_pk;
ALTER TABLE projections.journal_posting DROP COLUMN position;
ALTER TABLE projections.journal_posting ADD CONSTRAINT journal_posting_pk PRIMARY KEY (account_id, sequence, line);
