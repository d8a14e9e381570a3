package com.aicredits.emulation.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The on-disk store: an append-only journal of committed changes, one JSON line each (a transaction or a batch is
 * one line, so it replays all or nothing), forced to the disk before the write is acknowledged. At start the
 * journal is replayed, then rewritten as a snapshot (one line per table and per item), so it never grows beyond
 * one run's changes. A torn last line (a crash mid-write, never acknowledged) is dropped. The data directory is
 * owned by one process at a time, through an OS file lock on {@code LOCK}.
 */
final class Journal implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FILE = "journal.jsonl";

    private final Path directory;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private FileChannel out;

    private Journal(Path directory, FileChannel lockChannel, FileLock lock) {
        this.directory = directory;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Takes the directory's lock, or fails at once saying which process holds it. */
    static Journal open(Path directory) {
        try {
            Files.createDirectories(directory);
            Path lockFile = directory.resolve("LOCK");
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(lockFile).strip();
                channel.close();
                throw new IllegalStateException("The DynamoDB engine's data directory " + directory.toAbsolutePath()
                        + " is in use by another engine (" + (holder.isEmpty() ? "unknown process" : holder)
                        + "): one process owns a data directory. Stop the other one, or give this one another directory.");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ManagementFactory.getRuntimeMXBean().getPid()).getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new Journal(directory, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the engine's data directory " + directory, e);
        }
    }

    /** The journal's records, in order, without a torn last line. */
    List<JsonNode> replay() {
        Path file = directory.resolve(FILE);
        List<JsonNode> records = new ArrayList<>();
        if (!Files.exists(file)) {
            return records;
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    records.add(JSON.readTree(line));
                } catch (IOException torn) {
                    break; // a write cut short by a crash: it was never acknowledged
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return records;
    }

    /** Replaces the journal with {@code snapshot} (atomically), then opens it for appending. */
    void rewrite(List<? extends JsonNode> snapshot) {
        Path file = directory.resolve(FILE);
        Path temporary = directory.resolve(FILE + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (JsonNode record : snapshot) {
                writeFully(channel, line(record));
            }
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + temporary, e);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + file, e);
        }
    }

    /** Appends one record and forces it to the disk (called under the database's write lock). */
    void append(JsonNode record) {
        try {
            writeFully(out, line(record));
            out.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the journal in " + directory, e);
        }
    }

    private static ByteBuffer line(JsonNode record) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(record);
        ByteBuffer buffer = ByteBuffer.allocate(bytes.length + 1);
        buffer.put(bytes).put((byte) '\n').flip();
        return buffer;
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    @Override
    public void close() {
        try {
            if (out != null) {
                out.close();
            }
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
