package dev.tally.replay.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.replay.ToolFailure;
import dev.tally.replay.events.EventPayloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkpoint file an auditor downloaded ({@code GET /v1/audit/checkpoints/latest}) and kept
 * outside the database: the events must still reproduce its digest, even if the checkpoint
 * recorded in the ledger itself was altered or removed.
 */
final class DigestFile {

    static final String FORMAT = "tally-checkpoint-v1";

    private DigestFile() {
    }

    static ExpectedDigest read(Path file, EventPayloads payloads) {
        JsonNode json;
        try {
            json = payloads.tree(Files.readString(file));
        } catch (IOException | RuntimeException unreadable) {
            throw new ToolFailure("cannot read the digest file " + file + ": " + unreadable.getMessage());
        }
        if (json == null || !FORMAT.equals(json.path("format").asText()) || !json.path("position").canConvertToLong()
                || !json.path("streams").canConvertToLong() || !json.path("digest").isTextual()) {
            throw new ToolFailure(file + " is not a " + FORMAT + " file (format, position, streams, digest)");
        }
        return new ExpectedDigest(json.get("position").asLong(), json.get("streams").asLong(),
                json.get("digest").asText(), "the digest file " + file.getFileName(), "(digest file)", -1);
    }
}
