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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

public final class LogFile implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Path file;
    private final LogFile.Options options;
    private OutputStream out;
    private long size;
    private long changes;
    private boolean closed;

    private LogFile(Path file, LogFile.Options options) {
        this.file = file;
        this.options = options;
    }

    public static Path path(Path directory, String id) {
        return directory.resolve(id + "-json.log");
    }

    public static LogFile open(Path file, LogFile.Options options) {
        LogFile log = new LogFile(file, options);
        log.reopen();
        return log;
    }

    private void reopen() {
        try {
            this.out = Files.newOutputStream(this.file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            this.size = Files.size(this.file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + this.file + ": " + e.getMessage(), e);
        }
    }

    public synchronized void write(String stream, byte[] line, int length, Instant time) {
        if (!this.closed) {
            byte[] json = (JSON.writeValueAsString(new LogFile.Entry(
                                    new String(line, 0, length, StandardCharsets.UTF_8), stream, time.toString()))
                            + "\n")
                    .getBytes(StandardCharsets.UTF_8);

            try {
                if (this.options.maxSize() > 0L && this.size > 0L && this.size + json.length > this.options.maxSize()) {
                    this.rotate();
                }

                this.out.write(json);
                this.out.flush();
                this.size += json.length;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + this.file + ": " + e.getMessage(), e);
            }

            this.changes++;
            this.notifyAll();
        }
    }

    private void rotate() throws IOException {
        this.out.close();
        if (this.options.maxFiles() <= 1) {
            Files.delete(this.file);
        } else {
            Files.deleteIfExists(rotated(this.file, this.options.maxFiles() - 1));

            for (int i = this.options.maxFiles() - 2; i >= 1; i--) {
                if (Files.exists(rotated(this.file, i))) {
                    Files.move(rotated(this.file, i), rotated(this.file, i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }

            Files.move(this.file, rotated(this.file, 1), StandardCopyOption.REPLACE_EXISTING);
        }

        this.reopen();
    }

    static Path rotated(Path file, int generation) {
        return file.resolveSibling(file.getFileName() + "." + generation);
    }

    public static List<Path> generations(Path file) {
        ArrayList<Path> files = new ArrayList<>();

        for (int i = 1; Files.exists(rotated(file, i)); i++) {
            files.addFirst(rotated(file, i));
        }

        if (Files.exists(file)) {
            files.add(file);
        }

        return files;
    }

    public synchronized long changes() {
        return this.changes;
    }

    public synchronized void awaitChange(long seen, long millis) throws InterruptedException {
        if (this.changes == seen && !this.closed) {
            this.wait(millis);
        }
    }

    public synchronized boolean isClosed() {
        return this.closed;
    }

    @Override
    public synchronized void close() {
        if (!this.closed) {
            this.closed = true;

            try {
                this.out.close();
            } catch (IOException var2) {
            }

            this.notifyAll();
        }
    }

    public static List<LogFile.Entry> read(Path file) {
        ArrayList<LogFile.Entry> entries = new ArrayList<>();

        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    entries.add((LogFile.Entry) JSON.readValue(line, LogFile.Entry.class));
                } catch (RuntimeException var5) {
                }
            }

            return entries;
        } catch (NoSuchFileException rotatedMeanwhile) {
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public record Entry(String log, String stream, String time) {}

    public record Options(long maxSize, int maxFiles) {
        public static LogFile.Options of(Map<String, String> options) {
            long maxSize = -1L;
            int maxFiles = 1;

            for (Map.Entry<String, String> option : options.entrySet()) {
                switch ((String) option.getKey()) {
                    case "max-size":
                        maxSize = size(option.getValue());
                        break;
                    case "max-file":
                        try {
                            maxFiles = Integer.parseInt(option.getValue());
                        } catch (NumberFormatException e) {
                            maxFiles = 0;
                        }

                        if (maxFiles < 1) {
                            throw new IllegalArgumentException(
                                    "--log-opt max-file=" + option.getValue() + ": must be a number of at least 1");
                        }
                        break;
                    default:
                        throw new IllegalArgumentException("--log-opt " + option.getKey()
                                + ": unknown log opt for the json-file log driver (max-size, max-file)");
                }
            }

            if (maxFiles > 1 && maxSize < 0L) {
                throw new IllegalArgumentException("--log-opt max-file needs max-size");
            } else {
                return new LogFile.Options(maxSize, maxFiles);
            }
        }

        private static long size(String text) {
            Matcher matcher = Pattern.compile("([0-9]+)([kmg]?)b?", 2).matcher(text);
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
