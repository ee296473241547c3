package dev.tally.replay.verify;

/**
 * A digest the events must reproduce: a checkpoint recorded in the ledger, or the file an auditor
 * kept. {@code source} says which, for the finding; {@code sequence} is the checkpoint's place in
 * its stream (-1 for a file).
 */
record ExpectedDigest(long position, long streams, String digest, String source, String aggregate, long sequence) {
}
