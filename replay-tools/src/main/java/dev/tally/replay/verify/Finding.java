package dev.tally.replay.verify;

/** Something that does not hold, at the event (global position, stream, sequence) where it shows. */
public record Finding(String check, long position, String aggregate, long sequence, String problem) {

    public String describe() {
        return check + ": event at global position " + position + " (stream " + aggregate + ", sequence " + sequence
                + "): " + problem;
    }
}
