-- Per destination, the position up to which every event is exported. The per-position rows of
-- warehouse.exported_event below it are folded into it, so that table stops growing with the ledger.
CREATE TABLE warehouse.export_watermark (
    target           TEXT   NOT NULL,
    exported_through BIGINT NOT NULL,
    CONSTRAINT export_watermark_pk PRIMARY KEY (target)
);

-- A refused row is forgotten when its event is sent again (and recorded anew if refused again), so
-- that the watermark, which stops before the first refused row, can move on once it is resolved.
CREATE INDEX refused_row_position_idx ON warehouse.refused_row (target, global_position);
