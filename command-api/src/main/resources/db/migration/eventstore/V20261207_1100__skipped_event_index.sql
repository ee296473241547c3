-- The projections and the rebuild read every ProjectionEventSkipped before they apply anything (a
-- skip is recorded after the event it skips). This partial index holds only those rows, so that
-- read stays small however long the history grows.
CREATE INDEX domain_event_entry_projection_skips_idx ON events.domain_event_entry (globalIndex)
    WHERE payloadType = 'dev.tally.ledger.api.projection.ProjectionEventSkipped';
