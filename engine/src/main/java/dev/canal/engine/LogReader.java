package dev.canal.engine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

    private LogReader() {}

    /** Sends container {@code id}'s log lines that {@code options} select to {@code sink}. */
    public static void read(Engine engine, String id, Options options, OutputSink sink) throws InterruptedException {
        Path file = engine.logPath(id);
        // Taken before reading, so that a container that stops meanwhile is still followed to
        // its last line: the live log stays readable after it is closed.
        LogFile live = engine.liveLog(id);
        List<LogFile.Entry> entries = new ArrayList<>();
        int inCurrentFile = 0;
        for (Path generation : LogFile.generations(file)) {
            List<LogFile.Entry> read = LogFile.read(generation);
            entries.addAll(read);
            if (generation.equals(file)) {
                inCurrentFile = read.size();
            }
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
            follow(engine, id, live, file, inCurrentFile, sink, options);
        }
    }

    /**
     * Sends the lines of the live file after the first {@code sentInFile}, again each time it
     * grows, until the container is no longer running. Whether it runs is known before the file
     * is read, so the lines of its last moments are sent before following ends.
     */
    private static void follow(
            Engine engine, String id, LogFile live, Path file, int sentInFile, OutputSink sink, Options options)
            throws InterruptedException {
        while (true) {
            long changes = live == null ? 0 : live.changes();
            boolean running =
                    live != null ? !live.isClosed() : engine.inspect(id).state().running();
            List<LogFile.Entry> now = LogFile.read(file);
            if (now.size() < sentInFile) {
                // The file rotated: the new one is read from its start.
                sentInFile = 0;
            }
            for (LogFile.Entry entry : now.subList(sentInFile, now.size())) {
                if (wanted(entry, options)) {
                    send(sink, entry, options);
                }
            }
            sentInFile = now.size();
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
