package dev.tally.ledger.audit;

import static dev.tally.ledger.testing.LedgerMatchers.accepted;
import static dev.tally.ledger.testing.LedgerMatchers.exactly;
import static dev.tally.ledger.testing.LedgerMatchers.rejectedWith;

import dev.tally.ledger.LedgerSettings;
import dev.tally.ledger.api.audit.CheckpointRecorded;
import dev.tally.ledger.api.audit.RecordCheckpoint;
import dev.tally.ledger.api.outcome.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// Goal: checkpoints are recorded in increasing position order, with a well-formed digest only.
class LedgerCheckpointsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String DIGEST = "7290d39931328ff4344d82fee5b4bb5c97b1a9fa67a0496a366f203e5ca1aaaf";

    private AggregateTestFixture<LedgerCheckpoints> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(LedgerCheckpoints.class);
        fixture.registerInjectableResource(LedgerSettings.withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    @Test
    void recordsTheFirstCheckpoint() {
        fixture.givenNoPriorActivity()
                .when(new RecordCheckpoint(120, 7, DIGEST))
                .expectResultMessagePayloadMatching(accepted())
                .expectEventsMatching(exactly(new CheckpointRecorded(120, 7, DIGEST, NOW)));
    }

    @Test
    void recordsALaterCheckpoint() {
        fixture.given(new CheckpointRecorded(120, 7, DIGEST, NOW.minusSeconds(60)))
                .when(new RecordCheckpoint(121, 8, DIGEST))
                .expectResultMessagePayloadMatching(accepted())
                .expectEventsMatching(exactly(new CheckpointRecorded(121, 8, DIGEST, NOW)));
    }

    @Test
    void refusesACheckpointNotAfterTheLastOne() {
        fixture.given(new CheckpointRecorded(120, 7, DIGEST, NOW.minusSeconds(60)))
                .when(new RecordCheckpoint(120, 7, DIGEST))
                .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.CHECKPOINT_NOT_NEWER))
                .expectNoEvents();
    }

    @Test
    void refusesAMalformedDigest() {
        fixture.givenNoPriorActivity()
                .when(new RecordCheckpoint(120, 7, DIGEST.toUpperCase()))
                .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.INVALID_FIELD))
                .expectNoEvents();
    }

    @Test
    void refusesANegativePosition() {
        fixture.givenNoPriorActivity()
                .when(new RecordCheckpoint(-1, 0, DIGEST))
                .expectResultMessagePayloadMatching(rejectedWith(ErrorCode.INVALID_FIELD))
                .expectNoEvents();
    }
}
