package dev.canal.runtime.container;

import static dev.canal.runtime.container.FakeStateDirectories.ownStartTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.canal.runtime.testing.LockWaiters;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
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
        waitWhileDeleted(directory, () -> StateLockFile.waitingThreads(directory));
    }

    /** A container an earlier Canal made has no lock file: the directory itself is locked, with flock(2). */
    @Test
    void aCommandWaitingWhileAContainerOfAnEarlierCanalIsDeletedFindsItGone() throws Exception {
        Path directory = FakeStateDirectories.withoutLockFile(root, "doomed", ownStartTime() + 1);
        waitWhileDeleted(directory, () -> LockWaiters.on(directory));
    }

    /** Holds the lock of the container in {@code directory}, deletes it while another thread waits for the lock (as {@code waiting} counts). */
    private void waitWhileDeleted(Path directory, LongSupplier waiting) throws Exception {
        Container container = new Containers(root).load("doomed");
        Future<StateLock> waiter;
        try (StateLock deleting = container.lock(StateLock.Mode.EXCLUSIVE)) {
            Container loaded = new Containers(root).load("doomed");
            waiter = CompletableFuture.supplyAsync(() -> loaded.lock(StateLock.Mode.SHARED));
            while (waiting.getAsLong() == 0) {
                assertFalse(waiter.isDone(), "the lock waits while another holds it");
            }
            StateDirectories.remove(directory);
        }
        var failure = assertThrows(ExecutionException.class, waiter::get);
        assertInstanceOf(ContainerException.class, failure.getCause());
        assertEquals("container \"doomed\" does not exist", failure.getCause().getMessage());
        var gone = assertThrows(ContainerException.class, () -> new Containers(root).load("doomed"));
        assertEquals("container \"doomed\" does not exist", gone.getMessage());
    }

    /**
     * A command of another process that waited on the lock file gets it once the delete is done,
     * on a file that has no name any more: the delete wrote a byte into it after removing the
     * directory, and a lock file that is not empty is a container gone.
     */
    @Test
    void theDeleteMarksTheLockFileItRemovedAndAMarkedLockFileIsAContainerGone() throws Exception {
        Path directory = FakeStateDirectories.write(root, "marked", ownStartTime() + 1);
        Container container = new Containers(root).load("marked");
        try (FileChannel waitersFile = FileChannel.open(directory.resolve(StateLock.FILE))) {
            try (StateLock deleting = container.lock(StateLock.Mode.EXCLUSIVE)) {
                assertEquals(0, waitersFile.size());
                StateDirectories.remove(directory);
            }
            assertEquals(1, waitersFile.size());
        }
        FakeStateDirectories.write(root, "marked", ownStartTime() + 1);
        Container again = new Containers(root).load("marked");
        Files.write(directory.resolve(StateLock.FILE), new byte[] {1});
        var gone = assertThrows(ContainerException.class, () -> again.lock(StateLock.Mode.SHARED));
        assertEquals("container \"marked\" does not exist", gone.getMessage());
    }

    /** Threads of one JVM share one process lock (fcntl(2) locks are the process's) and exclude each other in front of it. */
    @Test
    void threadsOfOneJvmExcludeEachOther() throws Exception {
        Path directory = FakeStateDirectories.write(root, "threads", ownStartTime() + 1);
        Container container = new Containers(root).load("threads");
        StateLock first = container.lock(StateLock.Mode.SHARED);
        try {
            Future<String> second = CompletableFuture.supplyAsync(() -> {
                try (StateLock shared = container.lock(StateLock.Mode.SHARED)) {
                    return "shared";
                }
            });
            assertEquals("shared", second.get(60, TimeUnit.SECONDS), "shared holders do not wait for each other");
            Future<String> exclusive = CompletableFuture.supplyAsync(() -> {
                try (StateLock alone = container.lock(StateLock.Mode.EXCLUSIVE)) {
                    return "exclusive";
                }
            });
            while (StateLockFile.waitingThreads(directory) == 0) {
                assertFalse(exclusive.isDone(), "the exclusive lock waits for the shared holder");
            }
            first.close();
            first = null;
            assertEquals("exclusive", exclusive.get(60, TimeUnit.SECONDS));
        } finally {
            if (first != null) {
                first.close();
            }
        }
        assertEquals(0, StateLockFile.waitingThreads(directory));
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
    /**
     * A command that found a new directory without a lock file (a delete of what looked like an
     * unfinished creation) and locked the directory itself, as an earlier Canal did, goes first:
     * the create waiting to make its lock file fails, and keeps no lock.
     */
    @Test
    void aCreateWhoseDirectoryWasLockedAndDeletedFirstFails() throws Exception {
        Path directory = Files.createDirectories(root.resolve("raced"));
        Future<StateLock> create;
        try (StateLock deleting = StateLock.acquire(directory, "raced", null, StateLock.Mode.EXCLUSIVE)) {
            create = CompletableFuture.supplyAsync(() -> StateLock.acquireNew(directory));
            while (LockWaiters.on(directory) == 0) {
                assertFalse(create.isDone(), "the create waits for the directory's lock");
            }
            StateDirectories.remove(directory);
        }
        var failure = assertThrows(ExecutionException.class, create::get);
        assertInstanceOf(ContainerException.class, failure.getCause());
        assertEquals(
                "container \"raced\" was deleted while it was being created",
                failure.getCause().getMessage());
        assertFalse(Files.exists(directory));
    }

    /**
     * The other order: a command locks the new directory while its create holds that lock on the
     * way to the lock file. Once the file is in place the command drops the directory's lock and
     * waits on the file, for the whole create.
     */
    @Test
    void aCommandThatLockedTheDirectoryOfACreateWaitsOnItsLockFileOnceMade() throws Exception {
        Path directory = Files.createDirectories(root.resolve("early"));
        Future<String> command;
        StateLockFile.Hold created;
        try (StateLock creating = StateLock.acquire(directory, "early", null, StateLock.Mode.EXCLUSIVE)) {
            command = CompletableFuture.supplyAsync(() -> {
                try (StateLock lock = StateLock.acquire(directory, "early", null, StateLock.Mode.EXCLUSIVE)) {
                    return "locked";
                }
            });
            while (LockWaiters.on(directory) == 0) {
                assertFalse(command.isDone(), "the command waits for the directory's lock");
            }
            created = StateLockFile.lock(directory, true, true);
        }
        try {
            while (StateLockFile.waitingThreads(directory) == 0) {
                assertFalse(command.isDone(), "then for the lock file the create holds");
            }
        } finally {
            created.close();
        }
        assertEquals("locked", command.get(60, TimeUnit.SECONDS));
        assertFalse(Files.exists(directory.resolve("lock.new")), "the file was made under another name and renamed");
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve(StateLock.FILE))));
    }
}
