package dev.tally.replay.verify;

import dev.tally.ledger.audit.CheckpointDigest;
import dev.tally.ledger.audit.EventHashes;
import dev.tally.ledger.audit.HashedEvent;
import dev.tally.ledger.audit.StreamHead;
import dev.tally.replay.events.StoredEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hash chain and sequence of every stream, followed in global order. Each stream's state is
 * its last event as stored, so one altered event is named once and the events after it, whose
 * links still point at the stored hash, are not blamed for it.
 */
final class ChainCheck {

    static final String NAME = "hash chain";

    private static final class Stream {
        long sequence;
        long position;
        byte[] hash;
    }

    private final Map<String, Stream> streams = new HashMap<>();
    private final EventHashes hashes = new EventHashes();

    void check(StoredEvent event, Findings findings) {
        Stream stream = streams.get(event.aggregate());
        long expectedSequence = stream == null ? 0 : stream.sequence + 1;
        byte[] expectedPrevious = stream == null ? EventHashes.GENESIS : stream.hash;
        if (event.hash() == null || event.prevHash() == null) {
            findings.add(finding(event, "the event has no hash-chain link"));
        } else if (event.sequence() != expectedSequence) {
            findings.add(finding(event, sequenceProblem(stream, event)));
        } else if (!Arrays.equals(event.prevHash(), expectedPrevious)) {
            findings.add(finding(event, "prevHash " + EventHashes.hex(event.prevHash())
                    + " is not the hash of the stream's previous event, " + EventHashes.hex(expectedPrevious)));
        } else if (!Arrays.equals(hashes.link(event.prevHash(), asHashed(event)), event.hash())) {
            findings.add(finding(event, "the stored event does not match its hash: its payload, metadata, type,"
                    + " identifiers or timestamp were changed after it was appended"));
        }
        if (stream == null) {
            stream = new Stream();
            streams.put(event.aggregate(), stream);
        }
        stream.sequence = Math.max(stream.sequence, event.sequence());
        stream.position = event.position();
        stream.hash = event.hash() == null ? EventHashes.GENESIS : event.hash();
    }

    int streamCount() {
        return streams.size();
    }

    /** Every stream's last event so far, in the order a checkpoint digest takes them. */
    List<StreamHead> heads() {
        List<String> aggregates = new ArrayList<>(streams.keySet());
        aggregates.sort(CheckpointDigest.HEAD_ORDER);
        List<StreamHead> heads = new ArrayList<>(aggregates.size());
        for (String aggregate : aggregates) {
            Stream stream = streams.get(aggregate);
            heads.add(new StreamHead(aggregate, stream.sequence, stream.hash));
        }
        return heads;
    }

    private static String sequenceProblem(Stream stream, StoredEvent event) {
        if (stream == null) {
            return "the stream starts at sequence " + event.sequence() + ", not 0: its first events are missing";
        }
        if (event.sequence() <= stream.sequence) {
            return "sequence " + event.sequence() + " comes after sequence " + stream.sequence + " (global position "
                    + stream.position + "): events were reordered or one was inserted";
        }
        return "sequence " + event.sequence() + " follows sequence " + stream.sequence + ": "
                + (event.sequence() - stream.sequence - 1) + " event(s) in between are missing";
    }

    private static HashedEvent asHashed(StoredEvent event) {
        return new HashedEvent(event.position(), event.aggregate(), event.sequence(),
                event.aggregateType(), event.eventId(), event.payloadType(), event.payloadRevision(),
                event.timestampText(), event.metadataJson(), event.payloadJson());
    }

    private static Finding finding(StoredEvent event, String problem) {
        return new Finding(NAME, event.position(), event.aggregate(), event.sequence(), problem);
    }
}
