package dev.canal.runtime.container;

import static dev.canal.runtime.container.FakeStateDirectories.ownStartTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.canal.runtime.testing.LockWaiters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state directory's lock: waiting for it, finding the container deleted or re-created
 * meanwhile, nesting. The containers are {@link FakeStateDirectories}: nothing is spawned.
 */
class StateLockTest {

    @TempDir
    Path root;

    @Test
    void aCommandWaitingWhileTheContainerIsDeletedFindsItGone() throws Exception {
        Path directory = FakeStateDirectories.write(root, "doomed", ownStartTime() + 1);
        Container container = new Containers(root).load("doomed");
        Future<StateLock> waiting;
        try (StateLock deleting = container.lock(StateLock.Mode.EXCLUSIVE)) {
            Container loaded = new Containers(root).load("doomed");
            waiting = CompletableFuture.supplyAsync(() -> loaded.lock(StateLock.Mode.SHARED));
            while (LockWaiters.on(directory) == 0) {
                assertFalse(waiting.isDone(), "the lock waits while another holds it");
            }
            StateDirectories.remove(directory);
        }
        var failure = assertThrows(ExecutionException.class, waiting::get);
        assertInstanceOf(ContainerException.class, failure.getCause());
        assertEquals("container \"doomed\" does not exist", failure.getCause().getMessage());
        var gone = assertThrows(ContainerException.class, () -> new Containers(root).load("doomed"));
        assertEquals("container \"doomed\" does not exist", gone.getMessage());
    }

    /**
     * Loading a container and working out its status take no lock, as runc's state takes none:
     * state.json is written once, whole, by rename(2). A load that waited here would not return.
     */
    @Test
    void aContainerIsLoadedAndItsStatusWorkedOutWhileAnotherCommandHoldsItsLock() throws Exception {
        FakeStateDirectories.write(root, "busy", ownStartTime() + 1);
        Container container = new Containers(root).load("busy");
        try (StateLock deleting = container.lock(StateLock.Mode.EXCLUSIVE)) {
            Future<ContainerStatus> status = CompletableFuture.supplyAsync(
                    () -> new Containers(root).load("busy").status());
            assertEquals(ContainerStatus.STOPPED, status.get(60, TimeUnit.SECONDS));
        }
    }

    /** The new directory often gets the removed one's inode number: only the state tells them apart. */
    @Test
    void aContainerLoadedBeforeItWasDeletedAndItsIdReusedIsGone() throws Exception {
        FakeStateDirectories.write(root, "again", ownStartTime() + 1);
        Container before = new Containers(root).load("again");
        StateDirectories.remove(root.resolve("again"));
        FakeStateDirectories.write(root, "again", ownStartTime() + 2);

        var gone = assertThrows(ContainerException.class, () -> before.lock(StateLock.Mode.SHARED));
        assertEquals("container \"again\" does not exist", gone.getMessage());
        try (StateLock lock = new Containers(root).load("again").lock(StateLock.Mode.SHARED)) {
            // the new container with that id is there to lock
        }
    }

    @Test
    void aThreadThatHoldsTheLockMayAskForItAgain() {
        FakeStateDirectories.write(root, "nested", ownStartTime() + 1);
        Container container = new Containers(root).load("nested");
        try (StateLock outer = container.lock(StateLock.Mode.EXCLUSIVE);
                StateLock inner = container.lock(StateLock.Mode.SHARED)) {
            assertEquals(
                    ContainerStatus.STOPPED, new Containers(root).load("nested").status());
        }
        try (StateLock shared = container.lock(StateLock.Mode.SHARED)) {
            var upgrade = assertThrows(IllegalStateException.class, () -> container.lock(StateLock.Mode.EXCLUSIVE));
            assertEquals(
                    "container \"nested\": the shared lock is held, the exclusive one was asked for",
                    upgrade.getMessage());
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
}
