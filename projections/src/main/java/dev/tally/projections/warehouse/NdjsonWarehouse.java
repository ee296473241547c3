package dev.tally.projections.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The warehouse without BigQuery: newline-delimited JSON under
 * {@code <dir>/<table>/dt=<day>/part-<block>.ndjson}, ready for a BigQuery load job or any tool
 * that reads NDJSON. A file holds the rows of one day whose global positions fall in one block of
 * {@link #POSITIONS_PER_FILE}, one line per row id (the event id, or for the usage of a stored batch
 * the event id and the entry's number), in position order. Writing rows merges them
 * into their file by event id, so writing the same event again, in whatever batch, never
 * duplicates a line. Rows after the file's last line are appended; others make the file be
 * replaced atomically (temporary file, then rename). A crash leaves complete lines, and at most
 * a torn last line that the next write cuts off.
 */
public final class NdjsonWarehouse implements WarehouseSink {

    /** Global positions per file: a file holds the rows of at most this many events. */
    public static final long POSITIONS_PER_FILE = 10_000;

    /** One lock per directory in this JVM: the file lock below excludes other processes only. */
    private static final Map<Path, ReentrantLock> DIRECTORY_LOCKS = new ConcurrentHashMap<>();

    private final Path directory;
    private final ObjectMapper json = new ObjectMapper();
    /** The last files written, parsed (see {@link #read}); a few, one per table and day being written. */
    private final Map<Path, FileContent> recentFiles = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, FileContent> eldest) {
            return size() > RECENT_FILES_MAX;
        }
    };
    private static final int RECENT_FILES_MAX = 8;

    public NdjsonWarehouse(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    @Override
    public String target() {
        return "ndjson:" + directory;
    }

    public Path directory() {
        return directory;
    }

    /** The file {@code row} belongs in. */
    public Path fileOf(WarehouseRow row) {
        long block = Math.floorDiv(row.position(), POSITIONS_PER_FILE) * POSITIONS_PER_FILE;
        return directory.resolve(row.table().tableName()).resolve("dt=" + row.partitionDay())
                .resolve("part-%020d.ndjson".formatted(block));
    }

    @Override
    public List<RefusedRow> write(WarehouseTable table, List<WarehouseRow> rows) {
        if (rows.size() > ROWS_PER_WRITE_MAX) {
            throw new IllegalArgumentException("at most " + ROWS_PER_WRITE_MAX + " rows per write, got " + rows.size());
        }
        Map<Path, List<WarehouseRow>> byFile = new TreeMap<>();
        for (WarehouseRow row : rows) {
            if (row.table() != table) {
                throw new IllegalArgumentException("a " + row.table() + " row in a write to " + table);
            }
            byFile.computeIfAbsent(fileOf(row), file -> new ArrayList<>()).add(row);
        }
        ReentrantLock lock = DIRECTORY_LOCKS.computeIfAbsent(directory, path -> new ReentrantLock());
        lock.lock();
        try {
            Files.createDirectories(directory);
            try (FileChannel lockFile = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
                for (Map.Entry<Path, List<WarehouseRow>> file : byFile.entrySet()) {
                    merge(file.getKey(), file.getValue());
                }
            }
        } catch (IOException failure) {
            throw new UncheckedIOException("cannot write the warehouse files under " + directory, failure);
        } finally {
            lock.unlock();
        }
        return List.of();
    }

    /**
     * Adds the rows whose event id the file lacks. Rows that all come after the file's last line are
     * appended (the usual case: the export moves forward through the ledger); any other (an event
     * that filled a gap, say) makes the file be written anew, merged in position order.
     */
    private void merge(Path file, List<WarehouseRow> rows) throws IOException {
        FileContent content = read(file);
        Map<String, WarehouseRow> fresh = new LinkedHashMap<>();
        for (WarehouseRow row : rows) {
            if (!content.positionByEventId().containsKey(row.eventId())) {
                fresh.putIfAbsent(row.eventId(), row);
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        List<WarehouseRow> added = new ArrayList<>(fresh.values());
        added.sort(Comparator.comparing(LineKey::of));
        Files.createDirectories(file.getParent());
        forget(file);
        if (followsTheLastLine(content, added)) {
            append(file, content, added);
        } else {
            rewrite(file, content, added);
        }
    }

    private static boolean followsTheLastLine(FileContent content, List<WarehouseRow> added) {
        LineKey last = content.linesByPosition().isEmpty() ? null : content.linesByPosition().lastKey();
        for (WarehouseRow row : added) {
            LineKey key = LineKey.of(row);
            if (last != null && key.compareTo(last) <= 0) {
                return false;
            }
            last = key;
        }
        return true;
    }

    /**
     * Appends the lines and forces them to disk. A line torn by a crash during an earlier append (its
     * event was never acknowledged, so it is exported again) is cut off first.
     */
    private void append(Path file, FileContent content, List<WarehouseRow> added) throws IOException {
        List<String> lines = new ArrayList<>(added.size());
        StringBuilder text = new StringBuilder();
        for (WarehouseRow row : added) {
            String line = json.writeValueAsString(row.values());
            lines.add(line);
            text.append(line).append('\n');
        }
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.truncate(content.validLength());
            channel.position(content.validLength());
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        for (int index = 0; index < added.size(); index++) {
            content.linesByPosition().put(LineKey.of(added.get(index)), lines.get(index));
            content.positionByEventId().put(added.get(index).eventId(), added.get(index).position());
        }
        remember(file, content.linesByPosition(), content.positionByEventId());
    }

    /** Writes the file's lines and the added ones in position order to a new file that replaces it atomically. */
    private void rewrite(Path file, FileContent content, List<WarehouseRow> added) throws IOException {
        TreeMap<LineKey, String> linesByPosition = new TreeMap<>(content.linesByPosition());
        Map<String, Long> positionByEventId = new HashMap<>(content.positionByEventId());
        for (WarehouseRow row : added) {
            linesByPosition.put(LineKey.of(row), json.writeValueAsString(row.values()));
            positionByEventId.put(row.eventId(), row.position());
        }
        Path temporary = Files.createTempFile(file.getParent(), ".part-", ".tmp");
        try {
            try (BufferedWriter writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                for (String line : linesByPosition.values()) {
                    writer.write(line);
                    writer.write('\n');
                }
            }
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException unsupported) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            remember(file, linesByPosition, positionByEventId);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * What a file holds, up to its last complete line. The files this process wrote last are kept
     * parsed: re-reading and parsing a file of up to {@link #POSITIONS_PER_FILE} lines for every
     * batch of 500 took a third of the server's CPU while it ingested. The cached copy is used only
     * while the file's size and time are those this process left, so another writer (the backfill
     * command) shows. It is the cached instance itself: callers change it only once the file holds
     * the change.
     */
    private FileContent read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new FileContent(new TreeMap<>(), new HashMap<>(), 0, -1, null);
        }
        long size = Files.size(file);
        FileTime modified = Files.getLastModifiedTime(file);
        synchronized (recentFiles) {
            FileContent cached = recentFiles.get(file);
            if (cached != null && cached.size() == size && modified.equals(cached.modified())) {
                return cached;
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        int validLength = bytes.length;
        while (validLength > 0 && bytes[validLength - 1] != '\n') {
            validLength--;
        }
        TreeMap<LineKey, String> linesByPosition = new TreeMap<>();
        Map<String, Long> positionByEventId = new HashMap<>();
        for (String line : new String(bytes, 0, validLength, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode existing = json.readTree(line);
            long position = existing.get("global_position").asLong();
            String eventId = existing.get("event_id").asText();
            linesByPosition.put(new LineKey(position, eventId), line);
            positionByEventId.put(eventId, position);
        }
        return new FileContent(linesByPosition, positionByEventId, validLength, size, modified);
    }

    private void remember(Path file, TreeMap<LineKey, String> linesByPosition, Map<String, Long> positionByEventId)
            throws IOException {
        long size = Files.size(file);
        FileContent written = new FileContent(linesByPosition, positionByEventId, size, size,
                Files.getLastModifiedTime(file));
        synchronized (recentFiles) {
            recentFiles.put(file, written);
        }
    }

    /** Until a write has succeeded, the file may differ from what this process remembers of it. */
    private void forget(Path file) {
        synchronized (recentFiles) {
            recentFiles.remove(file);
        }
    }

    /** {@code validLength}: the bytes up to and including the last newline; anything after is a torn append. */
    private record FileContent(TreeMap<LineKey, String> linesByPosition, Map<String, Long> positionByEventId,
                               long validLength, long size, FileTime modified) {
    }

    /**
     * A line's place in its file: global position, then row id, since the usage rows of one
     * stored batch of usage share their event's position.
     */
    private record LineKey(long position, String rowId) implements Comparable<LineKey> {

        static LineKey of(WarehouseRow row) {
            return new LineKey(row.position(), row.eventId());
        }

        @Override
        public int compareTo(LineKey other) {
            int byPosition = Long.compare(position, other.position);
            return byPosition != 0 ? byPosition : rowId.compareTo(other.rowId);
        }
    }
}
