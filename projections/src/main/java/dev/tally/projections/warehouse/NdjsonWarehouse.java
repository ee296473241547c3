package dev.tally.projections.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * {@link #POSITIONS_PER_FILE}, one line per event id, in position order. Writing rows merges them
 * into their file by event id and replaces it atomically (temporary file, then rename), so
 * writing the same event again, in whatever batch, never duplicates a line, and a crash leaves
 * either the old file or the new one, never half of one.
 */
public final class NdjsonWarehouse implements WarehouseSink {

    /** Global positions per file; a file therefore never exceeds this many lines. */
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

    /** The file's lines and the new rows, one line per event id, ordered by position, written atomically. */
    private void merge(Path file, List<WarehouseRow> rows) throws IOException {
        FileContent content = read(file);
        TreeMap<Long, String> linesByPosition = content.linesByPosition();
        Map<String, Long> positionByEventId = content.positionByEventId();
        boolean changed = false;
        for (WarehouseRow row : rows) {
            if (positionByEventId.containsKey(row.eventId())) {
                continue;
            }
            linesByPosition.put(row.position(), json.writeValueAsString(row.values()));
            positionByEventId.put(row.eventId(), row.position());
            changed = true;
        }
        if (!changed) {
            return;
        }
        Files.createDirectories(file.getParent());
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
            remember(file, content);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * What a file holds. The files this process wrote last are kept parsed: re-reading and parsing a
     * file of up to {@link #POSITIONS_PER_FILE} lines for every batch of 500 took a third of the
     * server's CPU while it ingested. A cached copy is used only while the file's size and time are
     * those this process left; a file only ever grows, so another writer (the backfill command) shows.
     */
    private FileContent read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new FileContent(new TreeMap<>(), new HashMap<>(), -1, null);
        }
        long size = Files.size(file);
        FileTime modified = Files.getLastModifiedTime(file);
        synchronized (recentFiles) {
            FileContent cached = recentFiles.get(file);
            if (cached != null && cached.size() == size && modified.equals(cached.modified())) {
                // A copy: the merge adds to it before the file is written, and a failed write must not
                // leave the cache claiming rows the file does not have.
                return new FileContent(new TreeMap<>(cached.linesByPosition()), new HashMap<>(cached.positionByEventId()),
                        size, modified);
            }
        }
        TreeMap<Long, String> linesByPosition = new TreeMap<>();
        Map<String, Long> positionByEventId = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode existing = json.readTree(line);
            long position = existing.get("global_position").asLong();
            linesByPosition.put(position, line);
            positionByEventId.put(existing.get("event_id").asText(), position);
        }
        return new FileContent(linesByPosition, positionByEventId, size, modified);
    }

    private void remember(Path file, FileContent content) throws IOException {
        FileContent written = new FileContent(content.linesByPosition(), content.positionByEventId(), Files.size(file),
                Files.getLastModifiedTime(file));
        synchronized (recentFiles) {
            recentFiles.put(file, written);
        }
    }

    private record FileContent(TreeMap<Long, String> linesByPosition, Map<String, Long> positionByEventId, long size,
                               FileTime modified) {
    }
}
