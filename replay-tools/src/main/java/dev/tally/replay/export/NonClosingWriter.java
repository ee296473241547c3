package dev.tally.replay.export;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/** Standard output handed to a writer that closes what it writes to: flushed, left open. */
final class NonClosingWriter extends FilterWriter {

    NonClosingWriter(Writer out) {
        super(out);
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
