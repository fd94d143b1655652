package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.canal.runtime.spawn.ExecFifo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state directory's lock and the status that is worked out from the recorded process. The
 * containers here are state directories written by the test for a process that exists (this
 * JVM): nothing is spawned, and nothing here may delete them through {@link Container#delete},
 * which would kill that process.
 */
class StateLockTest {

    @TempDir
    Path root;

    /** A state directory for this JVM's own process, recorded with {@code startTime}. */
    private Path fakeContainer(String id, long startTime) {
        Path directory = root.resolve(id);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        int pid = (int) ProcessHandle.current().pid();
        new StoredState(id, pid, startTime, root.toString(), root.toString(), "2026-01-01T00:00:00Z", Map.of(), "thread",
                "/canal-test-" + UUID.randomUUID()).write(directory);
        return directory;
    }

    private static long ownStartTime() {
        return ProcessIdentity.startTime((int) ProcessHandle.current().pid());
    }

    @Test
    void aPidThatNowNamesAnotherProcessIsStopped() throws Exception {
        Path directory = fakeContainer("reused", ownStartTime() + 1);
        Files.createFile(directory.resolve(ExecFifo.NAME)); // would say "created" if the process were the recorded one
        Container container = new Containers(root).load("reused");
        assertEquals(ContainerStatus.STOPPED, container.status());
        assertEquals(0, container.state().pid(), "a stopped container has no pid, as runc reports it");
    }

    @Test
    void theRecordedProcessWithItsStartTimeIsNotStopped() throws Exception {
        Path directory = fakeContainer("alive", ownStartTime());
        Files.createFile(directory.resolve(ExecFifo.NAME));
        assertEquals(ContainerStatus.CREATED, new Containers(root).load("alive").status());
    }

    @Test
    void aCommandWaitingWhileTheContainerIsDeletedFindsItGone() throws Exception {
        Path directory = fakeContainer("doomed", ownStartTime() + 1);
        Container container = new Containers(root).load("doomed");
        Future<Container> waiting;
        try (StateLock deleting = container.lock(StateLock.Mode.EXCLUSIVE)) {
            waiting = CompletableFuture.supplyAsync(() -> new Containers(root).load("doomed"));
            awaitBlockedOnLock(directory);
            StateDirectories.remove(directory);
        }
        var failure = assertThrows(ExecutionException.class, waiting::get);
        assertInstanceOf(ContainerException.class, failure.getCause());
        assertEquals("container \"doomed\" does not exist", failure.getCause().getMessage());
    }

    /** The new directory often gets the removed one's inode number: only the state tells them apart. */
    @Test
    void aContainerLoadedBeforeItWasDeletedAndItsIdReusedIsGone() throws Exception {
        fakeContainer("again", ownStartTime() + 1);
        Container before = new Containers(root).load("again");
        StateDirectories.remove(root.resolve("again"));
        fakeContainer("again", ownStartTime() + 2);

        var gone = assertThrows(ContainerException.class, () -> before.lock(StateLock.Mode.SHARED));
        assertEquals("container \"again\" does not exist", gone.getMessage());
        try (StateLock lock = new Containers(root).load("again").lock(StateLock.Mode.SHARED)) {
            // the new container with that id is there to lock
        }
    }

    @Test
    void aThreadThatHoldsTheLockMayAskForItAgain() {
        fakeContainer("nested", ownStartTime() + 1);
        Container container = new Containers(root).load("nested");
        try (StateLock outer = container.lock(StateLock.Mode.EXCLUSIVE);
                StateLock inner = container.lock(StateLock.Mode.SHARED)) {
            assertEquals(ContainerStatus.STOPPED, new Containers(root).load("nested").status());
        }
        try (StateLock shared = container.lock(StateLock.Mode.SHARED)) {
            var upgrade = assertThrows(IllegalStateException.class, () -> container.lock(StateLock.Mode.EXCLUSIVE));
            assertEquals("container \"nested\": the shared lock is held, the exclusive one was asked for", upgrade.getMessage());
        }
    }

    @Test
    void aDirectoryWithoutStateIsAContainerNotYetCreated() throws Exception {
        Files.createDirectories(root.resolve("creating"));
        var containers = new Containers(root);
        var error = assertThrows(ContainerException.class, () -> containers.load("creating"));
        assertEquals("container \"creating\" does not exist", error.getMessage());
        var missing = assertThrows(ContainerException.class, () -> containers.load("missing"));
        assertEquals("container \"missing\" does not exist", missing.getMessage());
    }

    /**
     * Waits until /proc/locks shows a request blocked on {@code directory}'s inode: a line
     * "N: -> FLOCK ADVISORY READ pid maj:min:inode 0 EOF" (proc(5)).
     */
    private static void awaitBlockedOnLock(Path directory) throws IOException {
        long inode = (Long) Files.getAttribute(directory, "unix:ino");
        while (Files.readAllLines(Path.of("/proc/locks")).stream()
                .noneMatch(line -> line.contains("->") && line.contains(":" + inode + " "))) {
            Thread.onSpinWait();
        }
    }
}
