-- A usage command's accepted usage is stored as one UsageBatchRecorded event holding every usage
-- event in order (a single one stays a UsageRecorded). This view lists each usage event on its own
-- row, whichever way it was stored, for auditors' SQL and the tools: `usage` is the usage event's
-- JSON, exactly the fields of a UsageRecorded, and `entry` its place in its stored event.
CREATE VIEW events.usage_event AS
SELECT e.globalIndex, e.aggregateIdentifier, e.sequenceNumber, e.eventIdentifier, 0 AS entry, e.timeStamp,
       e.payload AS usage
FROM events.domain_event_entry e
WHERE e.payloadType = 'dev.tally.ledger.api.usage.UsageRecorded'
UNION ALL
SELECT e.globalIndex, e.aggregateIdentifier, e.sequenceNumber, e.eventIdentifier, (u.ordinality - 1)::int AS entry,
       e.timeStamp, u.value AS usage
FROM events.domain_event_entry e
         CROSS JOIN LATERAL json_array_elements(e.payload -> 'usages') WITH ORDINALITY AS u(value, ordinality)
WHERE e.payloadType = 'dev.tally.ledger.api.usage.UsageBatchRecorded';
