package dev.canal.runtime.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * State directories written by a test for a process that exists (the test's own JVM), so that
 * status and locking can be tested without spawning anything. Never pass such a container to
 * {@link Container#delete}: with the right start time that would kill the JVM.
 */
final class FakeStateDirectories {

    private FakeStateDirectories() {}

    /** Container {@code id} under {@code root}, recorded as this JVM's process started at {@code startTime}. */
    static Path write(Path root, String id, long startTime) {
        return write(root, id, ownPid(), startTime);
    }

    /**
     * Container {@code id} under {@code root}, recorded as process {@code pid} started at
     * {@code startTime}, with its lock file as create makes it.
     */
    static Path write(Path root, String id, int pid, long startTime) {
        Path directory = withoutLockFile(root, id, pid, startTime);
        try {
            Files.createFile(directory.resolve(StateLock.FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return directory;
    }

    /** {@link #write(Path, String, long)} as an earlier Canal made it: without a lock file. */
    static Path withoutLockFile(Path root, String id, long startTime) {
        return withoutLockFile(root, id, ownPid(), startTime);
    }

    private static Path withoutLockFile(Path root, String id, int pid, long startTime) {
        Path directory = root.resolve(id);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        new StoredState(
                        id,
                        pid,
                        startTime,
                        root.toString(),
                        root.toString(),
                        "2026-01-01T00:00:00Z",
                        Map.of(),
                        "thread",
                        "/canal-test-" + UUID.randomUUID())
                .write(directory);
        return directory;
    }

    /** This JVM's start time in /proc/self/stat's clock ticks, as the state records it. */
    static long ownStartTime() {
        return ProcessIdentity.startTime(ownPid());
    }

    private static int ownPid() {
        return (int) ProcessHandle.current().pid();
    }
}
