package dev.canal.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * A container's log in the format of docker's json-file logging driver, the default one: one JSON
 * object per line, {@code {"log":"hello\n","stream":"stdout","time":"2026-01-02T03:04:05.123Z"}},
 * in {@code <container dir>/<id>-json.log}. Tools that read docker's logs from disk read these.
 *
 * <p>Rotation follows the driver's {@code --log-opt max-size} and {@code max-file}: when the next
 * line would take the file over max-size, {@code id-json.log} becomes {@code id-json.log.1}, the
 * older generations move up one and the oldest beyond max-file is deleted. Readers wait for new
 * lines with {@link #awaitChange} instead of polling the file.
 */
public final class LogFile implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private final Options options;
    private OutputStream out;
    private long size;
    private long changes;
    private boolean closed;

    private LogFile(Path file, Options options) {
        this.file = file;
        this.options = options;
    }

    /** Where docker keeps the json-file log of container {@code id}: beside its config. */
    public static Path path(Path directory, String id) {
        return directory.resolve(id + "-json.log");
    }

    /** Opens {@code file} for appending, creating it: a restarted container adds to its old log. */
    public static LogFile open(Path file, Options options) {
        LogFile log = new LogFile(file, options);
        log.reopen();
        return log;
    }

    private void reopen() {
        try {
            out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Appends one log line: the first {@code length} bytes of {@code line} (a line with its "\n",
     * or a piece of a longer one) as written on {@code stream} at {@code time}. Writes after
     * {@link #close} are dropped: the container has ended.
     */
    public synchronized void write(String stream, byte[] line, int length, Instant time) {
        if (closed) {
            return;
        }
        Entry entry = new Entry(new String(line, 0, length, StandardCharsets.UTF_8), stream, time.toString());
        byte[] json = (JSON.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            // Rotate before a line that would overflow, never leaving an empty file behind:
            // a line longer than max-size gets a file of its own.
            if (options.maxSize() > 0 && size > 0 && size + json.length > options.maxSize()) {
                rotate();
            }
            out.write(json);
            out.flush();
            size += json.length;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        changes++;
        notifyAll();
    }

    /** Shifts the generations up one (id-json.log.1 is the newest old one) and starts afresh. */
    private void rotate() throws IOException {
        out.close();
        if (options.maxFiles() <= 1) {
            Files.delete(file);
        } else {
            Files.deleteIfExists(rotated(file, options.maxFiles() - 1));
            for (int generation = options.maxFiles() - 2; generation >= 1; generation--) {
                if (Files.exists(rotated(file, generation))) {
                    Files.move(
                            rotated(file, generation),
                            rotated(file, generation + 1),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, rotated(file, 1), StandardCopyOption.REPLACE_EXISTING);
        }
        reopen();
    }

    /** The name docker gives the {@code generation}th rotated file: id-json.log.1, .2, ... */
    static Path rotated(Path file, int generation) {
        return file.resolveSibling(file.getFileName() + "." + generation);
    }

    /** The log's files that exist, oldest first, ending with the live one. */
    public static List<Path> generations(Path file) {
        List<Path> files = new ArrayList<>();
        for (int generation = 1; Files.exists(rotated(file, generation)); generation++) {
            files.addFirst(rotated(file, generation));
        }
        if (Files.exists(file)) {
            files.add(file);
        }
        return files;
    }

    /**
     * Runs {@code action} while no line is written, so no rotation is half done: rotation
     * renames the generations one by one, and in between a listing would miss one.
     */
    public synchronized <T> T betweenWrites(Supplier<T> action) {
        return action.get();
    }

    /** How many lines have been written: a follower compares it to what it last saw. */
    public synchronized long changes() {
        return changes;
    }

    /**
     * Waits up to {@code millis} for a line after the {@code seen}th or for the log to close.
     * Returns at once if either has already happened, so no wake-up is lost between a reader's
     * look at the file and this call.
     */
    public synchronized void awaitChange(long seen, long millis) throws InterruptedException {
        if (changes == seen && !closed) {
            wait(millis);
        }
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Closes the file and wakes the followers, who then read what is left and stop. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException alreadyGone) {
            // Every write was flushed: nothing is lost.
        }
        notifyAll();
    }

    /**
     * The entries of one log file. A line that is not a whole JSON object, the torn last line of
     * a file being written or of one cut short by a crash, is skipped. A file rotated away
     * meanwhile reads as empty.
     */
    public static List<Entry> read(Path file) {
        List<Entry> entries = new ArrayList<>();
        try {
            // Decoded leniently: a torn last line can end inside a character, which
            // Files.readAllLines refuses (MalformedInputException); that line is skipped anyway.
            for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
                    .lines()
                    .toList()) {
                try {
                    entries.add(JSON.readValue(line, Entry.class));
                } catch (RuntimeException torn) {
                    // Not a whole entry: skipped.
                }
            }
            return entries;
        } catch (NoSuchFileException rotatedMeanwhile) {
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** One line of the json-file format: the text, its stream and RFC 3339 time with nanoseconds. */
    public record Entry(String log, String stream, String time) {}

    /**
     * The json-file driver's options: max-size (bytes; -1 for no rotation) and max-file (how many
     * files to keep, counting the live one).
     */
    public record Options(long maxSize, int maxFiles) {

        private static final Pattern SIZE = Pattern.compile("([0-9]+)([kmg]?)b?", Pattern.CASE_INSENSITIVE);

        /** Parses {@code --log-opt} as docker does; an unknown option is an error, not ignored. */
        public static Options of(Map<String, String> options) {
            long maxSize = -1;
            int maxFiles = 1;
            for (Map.Entry<String, String> option : options.entrySet()) {
                switch (option.getKey()) {
                    case "max-size" -> maxSize = size(option.getValue());
                    case "max-file" -> {
                        try {
                            maxFiles = Integer.parseInt(option.getValue());
                        } catch (NumberFormatException e) {
                            maxFiles = 0;
                        }
                        if (maxFiles < 1) {
                            throw new IllegalArgumentException(
                                    "--log-opt max-file=" + option.getValue() + ": must be a number of at least 1");
                        }
                    }
                    default ->
                        throw new IllegalArgumentException("--log-opt " + option.getKey()
                                + ": unknown log opt for the json-file log driver (max-size, max-file)");
                }
            }
            // Several files only make sense when one fills up; docker refuses this combination too.
            if (maxFiles > 1 && maxSize < 0) {
                throw new IllegalArgumentException("--log-opt max-file needs max-size");
            }
            return new Options(maxSize, maxFiles);
        }

        /** A size as docker's units.RAMInBytes reads it: 10m, 512k, 1g, with an optional b. */
        private static long size(String text) {
            Matcher matcher = SIZE.matcher(text);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("--log-opt max-size=" + text + ": not a size such as 10m");
            }
            long value = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
                case "k" -> value << 10;
                case "m" -> value << 20;
                case "g" -> value << 30;
                default -> value;
            };
        }
    }
}
