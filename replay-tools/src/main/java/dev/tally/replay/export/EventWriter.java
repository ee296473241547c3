package dev.tally.replay.export;

import java.io.IOException;

/** Writes exported events one by one, so an export never holds more than one event in memory. */
interface EventWriter extends AutoCloseable {

    void write(ExportedEvent event) throws IOException;

    @Override
    void close() throws IOException;
}
