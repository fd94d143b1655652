package dev.canal.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code docker logs}: reads a container's json-file log ({@link LogFile}), all its rotated
 * generations oldest first, filters it by stream and time, keeps the last {@code --tail} lines
 * and, with {@code --follow}, sends new lines as they come until the container stops.
 */
public final class LogReader {

    /** How often a follower looks again when no live {@link LogFile} can wake it. */
    private static final long LOOK_AGAIN_MILLIS = 100;

    /** The longest a follower sleeps on a live log before checking that it still runs. */
    private static final long WAKE_AT_LEAST_MILLIS = 1000;

    /** How many listings a follower of another process's log makes before taking its file for deleted. */
    private static final int LOOKS_FOR_A_ROTATED_FILE = 100;

    private LogReader() {}

    /** Sends container {@code id}'s log lines that {@code options} select to {@code sink}. */
    public static void read(Engine engine, String id, Options options, OutputSink sink) throws InterruptedException {
        Path file = engine.logPath(id);
        // Taken before reading, so that a container that stops meanwhile is still followed to
        // its last line: the live log stays readable after it is closed.
        LogFile live = engine.liveLog(id);
        // Read as a follower reads, pass after pass until one is not cut short by a rotation,
        // so that where following goes on from is the file the last lines came from.
        List<LogFile.Entry> entries = new ArrayList<>();
        Pass pass = readNew(live, file, Position.START, entries::add);
        while (!pass.whole()) {
            pass = readNew(live, file, pass.reached(), entries::add);
        }
        entries.removeIf(entry -> !wanted(entry, options));
        // --tail counts the lines that pass the filters; a negative tail ("all") keeps every one.
        if (options.tail() != null && options.tail() >= 0 && entries.size() > options.tail()) {
            entries = entries.subList(entries.size() - options.tail(), entries.size());
        }
        for (LogFile.Entry entry : entries) {
            send(sink, entry, options);
        }
        if (options.follow()) {
            follow(engine, id, live, file, pass.reached(), sink, options);
        }
    }

    /**
     * Sends the lines written after {@code position}, again each time the log grows, until the
     * container is no longer running. Whether it runs is known before the files are read, so
     * the lines of its last moments are sent before following ends.
     */
    private static void follow(
            Engine engine, String id, LogFile live, Path file, Position position, OutputSink sink, Options options)
            throws InterruptedException {
        while (true) {
            long changes = live == null ? 0 : live.changes();
            boolean running =
                    live != null ? !live.isClosed() : engine.inspect(id).state().running();
            position = readNew(live, file, position, entry -> {
                        if (wanted(entry, options)) {
                            send(sink, entry, options);
                        }
                    })
                    .reached();
            if (!running) {
                return;
            }
            if (live != null) {
                live.awaitChange(changes, WAKE_AT_LEAST_MILLIS);
            } else {
                // Written by another process (a canal run of its own): nothing to wait on.
                Thread.sleep(LOOK_AGAIN_MILLIS);
            }
        }
    }

    /**
     * Hands on what was written since {@code position}. Rotation renames the file the reader
     * was at to id-json.log.1 and may have done so several times since the last look; a rename
     * keeps the file's identity (its inode; with its first entry's time, as a deleted file's
     * inode can be given to a newer file), so that file is found among the generations, the
     * rest of it is handed on, then every newer generation whole. If it was deleted (more
     * rotations than max-file), every remaining generation is newer and is handed on whole. The
     * generations are listed between two writes of a live log: in the middle of a rotation one
     * would be missing, and the reader would take the file it reads for deleted.
     */
    private static Pass readNew(LogFile live, Path file, Position position, Consumer<LogFile.Entry> each) {
        record Listing(List<Path> generations, List<Object> keys) {}
        Supplier<Listing> list = () -> {
            List<Path> generations = LogFile.generations(file);
            return new Listing(
                    generations, generations.stream().map(LogReader::fileKey).toList());
        };
        Listing listing = live == null ? list.get() : live.betweenWrites(list);
        // Another process's rotation cannot be waited out: a file missing from the listing is
        // looked for again a few times before it is taken for deleted.
        for (int look = 1; live == null && look < LOOKS_FOR_A_ROTATED_FILE; look++) {
            if (position.fileKey() == null || listing.keys().contains(position.fileKey())) {
                break;
            }
            Thread.yield();
            listing = list.get();
        }
        List<Path> generations = listing.generations();
        List<Object> keys = listing.keys();
        int from = position.fileKey() == null ? -1 : keys.indexOf(position.fileKey());
        Position reached = position;
        for (int i = Math.max(from, 0); i < generations.size(); i++) {
            Path generation = generations.get(i);
            List<LogFile.Entry> entries = LogFile.read(generation);
            if (keys.get(i) == null || !keys.get(i).equals(fileKey(generation))) {
                // Rotated while we read: what we read may be another file's. The next pass
                // starts again from what was handed on.
                return new Pass(reached, false);
            }
            if (i == from && !position.startsAs(entries)) {
                // Its inode, freed when it was deleted, is a newer file's now: every file listed
                // is newer than the one read, and goes whole.
                return readNew(live, file, Position.START, each);
            }
            String firstTime = entries.isEmpty() ? null : entries.getFirst().time();
            int done = i == from ? Math.min(position.sent(), entries.size()) : 0;
            entries.subList(done, entries.size()).forEach(each);
            reached = new Position(keys.get(i), firstTime, entries.size());
        }
        return new Pass(reached, true);
    }

    /** The file's identity (device and inode), which a rename keeps; null if it is not there. */
    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException rotatedOrRemoved) {
            return null;
        }
    }

    /**
     * How far a reader has read: {@code sent} entries of the log file whose inode is
     * {@code fileKey} and whose first entry's time is {@code firstTime} (null while it had none).
     */
    private record Position(Object fileKey, String firstTime, int sent) {
        /** Nothing read yet: every generation is new. */
        static final Position START = new Position(null, null, 0);

        /**
         * Whether {@code entries}, read from a file with this position's inode, are the file
         * read: the same first entry. A file read while empty is: only a file with lines is
         * rotated away.
         */
        boolean startsAs(List<LogFile.Entry> entries) {
            return firstTime == null
                    || !entries.isEmpty() && firstTime.equals(entries.getFirst().time());
        }
    }

    /** Where a pass got to, and whether it got to the end or a rotation cut it short. */
    private record Pass(Position reached, boolean whole) {}

    /** Whether the entry is on a wanted stream and within --since and --until, both inclusive. */
    private static boolean wanted(LogFile.Entry entry, Options options) {
        boolean stream = entry.stream().equals("stderr") ? options.stderr() : options.stdout();
        Instant time = Instant.parse(entry.time());
        return stream
                && (options.since() == null || !time.isBefore(options.since()))
                && (options.until() == null || !time.isAfter(options.until()));
    }

    /** Sends the line on its own stream, with {@code --timestamps} its time first, as docker does. */
    private static void send(OutputSink sink, LogFile.Entry entry, Options options) {
        String text = options.timestamps() ? entry.time() + " " + entry.log() : entry.log();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sink.write(entry.stream(), bytes, 0, bytes.length);
    }

    /** The query of GET /containers/{id}/logs; tail null or negative means all lines. */
    public record Options(
            boolean stdout,
            boolean stderr,
            boolean timestamps,
            Instant since,
            Instant until,
            Integer tail,
            boolean follow) {}
}
