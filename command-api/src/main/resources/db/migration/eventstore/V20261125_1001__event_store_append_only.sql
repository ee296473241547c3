-- Principle 1 of the spec: the event store is append-only. The database itself refuses to
-- change or remove an event, whoever asks, so that a bug or an operator cannot rewrite history.
CREATE FUNCTION events.refuse_event_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'the event store is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER domain_event_entry_append_only
    BEFORE UPDATE OR DELETE ON events.domain_event_entry
    FOR EACH ROW EXECUTE FUNCTION events.refuse_event_change();

CREATE TRIGGER domain_event_entry_no_truncate
    BEFORE TRUNCATE ON events.domain_event_entry
    FOR EACH STATEMENT EXECUTE FUNCTION events.refuse_event_change();
