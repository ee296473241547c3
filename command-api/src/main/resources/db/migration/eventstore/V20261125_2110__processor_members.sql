-- Which processes run each streaming processor right now, refreshed by each of them every few
-- seconds. Axon's token claims say who holds a segment, not who could: without this, a process
-- that started second never learns that it could share the work and waits as a standby.
CREATE TABLE axon.processor_member (
    processor_name VARCHAR(255) NOT NULL,
    member         VARCHAR(255) NOT NULL,
    last_seen      TIMESTAMPTZ  NOT NULL,
    CONSTRAINT processor_member_pk PRIMARY KEY (processor_name, member)
);
