package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReaderTest {

    private static final Instant START = Instant.parse("2026-01-02T03:04:00Z");
    private static final String ID = "0123456789ab".repeat(5) + "cdef";

    @TempDir
    Path directory;

    private Engine engine;

    @BeforeEach
    void writeLog() throws Exception {
        engine = Engine.open(directory.resolve("data"), directory.resolve("exec"));
        Files.createDirectories(engine.directory(ID));
        try (LogFile log = LogFile.open(engine.logPath(ID), LogFile.Options.of(Map.of()))) {
            for (int second = 0; second < 6; second++) {
                String stream = second % 2 == 0 ? "stdout" : "stderr";
                byte[] line = (stream + " " + second + "\n").getBytes(StandardCharsets.UTF_8);
                log.write(stream, line, line.length, START.plusSeconds(second));
            }
        }
    }

    @AfterEach
    void close() {
        engine.close();
    }

    /** Records what the reader sends, as "stream: text" lines. */
    private static final class Recorder implements OutputSink {
        final List<String> lines = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(String stream, byte[] data, int offset, int length) {
            lines.add(stream + ": " + new String(data, offset, length, StandardCharsets.UTF_8));
            bytes.write(data, offset, length);
        }

        @Override
        public void end() {}
    }

    private List<String> read(LogReader.Options options) throws InterruptedException {
        Recorder recorder = new Recorder();
        LogReader.read(engine, ID, options, recorder);
        return recorder.lines;
    }

    @Test
    void sendsEveryLineOnItsStream() throws Exception {
        assertEquals(
                List.of(
                        "stdout: stdout 0\n",
                        "stderr: stderr 1\n",
                        "stdout: stdout 2\n",
                        "stderr: stderr 3\n",
                        "stdout: stdout 4\n",
                        "stderr: stderr 5\n"),
                read(new LogReader.Options(true, true, false, null, null, null, false)));
    }

    @Test
    void filtersByStream() throws Exception {
        assertEquals(
                List.of("stderr: stderr 1\n", "stderr: stderr 3\n", "stderr: stderr 5\n"),
                read(new LogReader.Options(false, true, false, null, null, null, false)));
    }

    @Test
    void tailCountsTheLinesThatPassTheFilters() throws Exception {
        assertEquals(
                List.of("stdout: stdout 2\n", "stdout: stdout 4\n"),
                read(new LogReader.Options(true, false, false, null, null, 2, false)));
        assertEquals(List.of(), read(new LogReader.Options(true, true, false, null, null, 0, false)));
        assertEquals(
                6,
                read(new LogReader.Options(true, true, false, null, null, -1, false))
                        .size(),
                "all");
    }

    @Test
    void sinceAndUntilAreInclusive() throws Exception {
        assertEquals(
                List.of("stderr: stderr 1\n", "stdout: stdout 2\n", "stderr: stderr 3\n"),
                read(new LogReader.Options(
                        true, true, false, START.plusSeconds(1), START.plusSeconds(3), null, false)));
    }

    @Test
    void timestampsPrefixEachLineWithItsRfc3339NanoTime() throws Exception {
        assertEquals(
                List.of("stdout: 2026-01-02T03:04:04Z stdout 4\n"),
                read(new LogReader.Options(true, false, true, START.plusSeconds(4), null, null, false)));
    }

    @Test
    void readsRotatedGenerationsOldestFirst() throws Exception {
        Path log = engine.logPath(ID);
        Files.move(log, LogFile.rotated(log, 1));
        try (LogFile current = LogFile.open(log, LogFile.Options.of(Map.of()))) {
            byte[] line = "newest\n".getBytes(StandardCharsets.UTF_8);
            current.write("stdout", line, line.length, START.plusSeconds(10));
        }
        assertEquals(
                List.of("stdout: stdout 4\n", "stdout: newest\n"),
                read(new LogReader.Options(true, false, false, null, null, 2, false)));
    }

    /**
     * A container record {@code id} that runs while the returned lock is held: whoever holds the
     * run lock runs the container, and a follower follows until it is released.
     */
    private RunLock runningContainer(String id) throws Exception {
        ContainerStore store = new ContainerStore(directory.resolve("data"), engine.images());
        Files.createDirectories(engine.directory(id));
        store.write(new ContainerRecord(
                id,
                "follow",
                "busybox",
                null,
                List.of("sh"),
                START.toString(),
                null,
                null,
                null,
                START.toString(),
                0,
                false,
                null,
                false));
        return store.holdWhileRunning(id);
    }

    /** Follows container {@code id}'s log on a thread of its own, into {@code recorder}. */
    private Thread follow(String id, Recorder recorder) {
        return Thread.ofPlatform().start(() -> {
            try {
                LogReader.read(engine, id, new LogReader.Options(true, true, false, null, null, null, true), recorder);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Writes "line I" at START plus I seconds, and returns what a follower shows of it. */
    private static String writeLine(LogFile log, int i) {
        byte[] line = ("line " + i + "\n").getBytes(StandardCharsets.UTF_8);
        log.write("stdout", line, line.length, START.plusSeconds(i));
        return "stdout: line " + i + "\n";
    }

    private static void awaitLines(Recorder recorder, int count) throws InterruptedException {
        while (recorder.lines.size() < count) {
            Thread.sleep(1);
        }
    }

    /** Repeated: the follower's looks fall at different points of the writer's rotations. */
    @RepeatedTest(20)
    void aFollowerMissesNoLineWhenTheLogRotatesUnderIt(RepetitionInfo repetition) throws Exception {
        String id = "fedcba987654".repeat(5) + String.format("%04d", repetition.getCurrentRepetition());
        RunLock running = runningContainer(id);
        Recorder recorder = new Recorder();
        // Room for two lines a file, and enough files that none is deleted.
        LogFile log = LogFile.open(engine.logPath(id), LogFile.Options.of(Map.of("max-size", "200", "max-file", "50")));
        List<String> expected = new ArrayList<>(List.of(writeLine(log, 0)));
        Thread follower = follow(id, recorder);
        awaitLines(recorder, 1);
        for (int i = 1; i < 30; i++) {
            expected.add(writeLine(log, i));
        }
        log.close();
        running.close();
        follower.join();
        assertEquals(expected, recorder.lines);
    }

    /**
     * With max-file 1 a rotation deletes the file and creates it again, and the new file often
     * gets the inode just freed (ext4 hands it straight back): a follower must not take the new
     * file for the one it read and skip as many of its lines as it had sent of the old one.
     */
    @Test
    void aFollowerTellsTheFileThatReplacesTheOneItReadDespiteASharedInode() throws Exception {
        String id = "0f1e2d3c4b5a".repeat(5) + "0001";
        RunLock running = runningContainer(id);
        Recorder recorder = new Recorder();
        // Three 67-byte lines a file; the fourth rotates.
        LogFile log = LogFile.open(engine.logPath(id), LogFile.Options.of(Map.of("max-size", "210", "max-file", "1")));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            expected.add(writeLine(log, i));
        }
        Thread follower = follow(id, recorder);
        awaitLines(recorder, 3);
        expected.add(writeLine(log, 3));
        expected.add(writeLine(log, 4));
        log.close();
        running.close();
        follower.join();
        assertEquals(expected, recorder.lines);
    }
}
