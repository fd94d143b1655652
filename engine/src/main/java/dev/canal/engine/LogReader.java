package dev.canal.engine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

public final class LogReader {
    private static final long LOOK_AGAIN_MILLIS = 100L;

    private LogReader() {}

    public static void read(Engine engine, String id, LogReader.Options options, OutputSink sink)
            throws InterruptedException {
        Path file = engine.logPath(id);
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

        entries.removeIf(entryx -> !wanted(entryx, options));
        if (options.tail() != null && options.tail() >= 0 && entries.size() > options.tail()) {
            entries = new ArrayList<>(entries.subList(entries.size() - options.tail(), entries.size()));
        }

        for (LogFile.Entry entry : entries) {
            send(sink, entry, options);
        }

        if (options.follow()) {
            follow(engine, id, live, file, inCurrentFile, sink, options);
        }
    }

    private static void follow(
            Engine engine,
            String id,
            LogFile live,
            Path file,
            int sentInFile,
            OutputSink sink,
            LogReader.Options options)
            throws InterruptedException {
        while (true) {
            long changes = live == null ? 0L : live.changes();
            boolean running =
                    live != null ? !live.isClosed() : engine.inspect(id).state().running();
            List<LogFile.Entry> now = LogFile.read(file);
            if (now.size() < sentInFile) {
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
                live.awaitChange(changes, 1000L);
            } else {
                Thread.sleep(100L);
            }
        }
    }

    private static boolean wanted(LogFile.Entry entry, LogReader.Options options) {
        boolean stream = entry.stream().equals("stderr") ? options.stderr() : options.stdout();
        Instant time = Instant.parse(entry.time());
        return stream
                && (options.since() == null || !time.isBefore(options.since()))
                && (options.until() == null || !time.isAfter(options.until()));
    }

    private static void send(OutputSink sink, LogFile.Entry entry, LogReader.Options options) {
        String text = options.timestamps() ? entry.time() + " " + entry.log() : entry.log();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sink.write(entry.stream(), bytes, 0, bytes.length);
    }

    public record Options(
            boolean stdout,
            boolean stderr,
            boolean timestamps,
            Instant since,
            Instant until,
            Integer tail,
            boolean follow) {}
}
