package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileTest {

    private static final Instant TIME = Instant.parse("2026-01-02T03:04:05.123456789Z");

    @TempDir
    Path directory;

    private static void write(LogFile log, String stream, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        log.write(stream, bytes, bytes.length, TIME);
    }

    @Test
    void eachLineIsOneJsonObjectAsDockersJsonFileDriverWritesIt() throws Exception {
        Path file = LogFile.path(directory, "abc");
        assertEquals(directory.resolve("abc-json.log"), file);
        try (LogFile log = LogFile.open(file, LogFile.Options.of(Map.of()))) {
            write(log, "stdout", "hello \"world\"\n");
            write(log, "stderr", "oops\n");
        }
        assertEquals("""
                {"log":"hello \\"world\\"\\n","stream":"stdout","time":"2026-01-02T03:04:05.123456789Z"}
                {"log":"oops\\n","stream":"stderr","time":"2026-01-02T03:04:05.123456789Z"}
                """, Files.readString(file));
        assertEquals(
                List.of(
                        new LogFile.Entry("hello \"world\"\n", "stdout", TIME.toString()),
                        new LogFile.Entry("oops\n", "stderr", TIME.toString())),
                LogFile.read(file));
    }

    @Test
    void reopeningAppends() {
        Path file = LogFile.path(directory, "abc");
        for (String text : new String[] {"one\n", "two\n"}) {
            try (LogFile log = LogFile.open(file, LogFile.Options.of(Map.of()))) {
                write(log, "stdout", text);
            }
        }
        assertEquals(
                List.of("one\n", "two\n"),
                LogFile.read(file).stream().map(LogFile.Entry::log).toList());
    }

    @Test
    void aFullFileRotatesKeepingMaxFileGenerationsOldestFirst() throws Exception {
        Path file = LogFile.path(directory, "abc");
        int lineBytes = ("{\"log\":\"0\\n\",\"stream\":\"stdout\",\"time\":\"" + TIME + "\"}\n").length();
        LogFile.Options options =
                LogFile.Options.of(Map.of("max-size", Integer.toString(2 * lineBytes), "max-file", "3"));
        try (LogFile log = LogFile.open(file, options)) {
            for (int i = 0; i < 10; i++) {
                write(log, "stdout", i + "\n");
            }
        }
        List<Path> generations = LogFile.generations(file);
        assertEquals(List.of(LogFile.rotated(file, 2), LogFile.rotated(file, 1), file), generations);
        assertEquals(
                List.of("4\n", "5\n", "6\n", "7\n", "8\n", "9\n"),
                generations.stream()
                        .flatMap(generation -> LogFile.read(generation).stream())
                        .map(LogFile.Entry::log)
                        .toList(),
                "three files of two lines: the last six lines");
        assertTrue(Files.notExists(LogFile.rotated(file, 3)));
    }

    @Test
    void withOneFileRotationStartsOver() {
        Path file = LogFile.path(directory, "abc");
        try (LogFile log = LogFile.open(file, LogFile.Options.of(Map.of("max-size", "100b")))) {
            for (int i = 0; i < 5; i++) {
                write(log, "stdout", i + "\n");
            }
        }
        assertEquals(List.of(file), LogFile.generations(file));
        assertEquals(
                List.of("4\n"),
                LogFile.read(file).stream().map(LogFile.Entry::log).toList());
    }

    @Test
    void aWriteWakesAWaiterAndCloseEndsTheWait() throws Exception {
        try (LogFile log = LogFile.open(LogFile.path(directory, "abc"), LogFile.Options.of(Map.of()))) {
            long before = log.changes();
            write(log, "stdout", "x\n");
            assertEquals(before + 1, log.changes());
            log.close();
            assertTrue(log.isClosed());
            log.awaitChange(log.changes(), 60_000);
            write(log, "stdout", "after close\n");
            assertEquals(before + 1, log.changes(), "a closed log ignores writes");
        }
    }

    @Test
    void optionsAreDockersMaxSizeAndMaxFile() {
        assertEquals(new LogFile.Options(-1, 1), LogFile.Options.of(Map.of()));
        assertEquals(new LogFile.Options(10L << 20, 1), LogFile.Options.of(Map.of("max-size", "10m")));
        assertEquals(new LogFile.Options(3L << 10, 4), LogFile.Options.of(Map.of("max-size", "3K", "max-file", "4")));
        assertEquals(new LogFile.Options(1L << 30, 1), LogFile.Options.of(Map.of("max-size", "1gb")));
        assertEquals(new LogFile.Options(42, 1), LogFile.Options.of(Map.of("max-size", "42")));
    }

    @Test
    void refusesOptionsDockerRefuses() {
        assertThrows(IllegalArgumentException.class, () -> LogFile.Options.of(Map.of("max-size", "ten")));
        assertThrows(IllegalArgumentException.class, () -> LogFile.Options.of(Map.of("max-file", "0")));
        assertThrows(IllegalArgumentException.class, () -> LogFile.Options.of(Map.of("max-file", "x")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LogFile.Options.of(Map.of("max-file", "2")))
                .getMessage()
                .contains("needs max-size"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LogFile.Options.of(Map.of("mode", "x")))
                .getMessage()
                .contains("unknown log opt"));
    }

    @Test
    void readSkipsATornLastLine() throws Exception {
        Path file = LogFile.path(directory, "abc");
        Files.writeString(
                file, "{\"log\":\"whole\\n\",\"stream\":\"stdout\",\"time\":\"" + TIME + "\"}\n{\"log\":\"to");
        assertEquals(
                List.of("whole\n"),
                LogFile.read(file).stream().map(LogFile.Entry::log).toList());
        assertEquals(List.of(), LogFile.read(directory.resolve("missing")));
    }

    @Test
    void readSkipsALastLineTornInsideACharacter() throws Exception {
        Path file = LogFile.path(directory, "abc");
        try (LogFile log = LogFile.open(file, LogFile.Options.of(Map.of()))) {
            write(log, "stdout", "été\n");
        }
        byte[] accented = "{\"log\":\"é".getBytes(StandardCharsets.UTF_8);
        // The first byte of é's two: the writer was in the middle of it.
        Files.write(file, Arrays.copyOf(accented, accented.length - 1), StandardOpenOption.APPEND);
        assertEquals(
                List.of("été\n"),
                LogFile.read(file).stream().map(LogFile.Entry::log).toList());
    }
}
