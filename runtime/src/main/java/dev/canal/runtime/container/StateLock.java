package dev.canal.runtime.container;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.FileLocks;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.SyscallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * The lock that serialises commands on one container, for as long as one operation takes:
 * flock(2) on the container's state directory itself. Operations that only look or signal
 * ({@code kill}, {@code exec}, {@code ps}) share it; those that change the container
 * ({@code start}, {@code pause}, {@code resume}, {@code update}, {@code delete}) hold it alone.
 * So a {@code delete} never removes the directory under a {@code kill} that is signalling its
 * process, and two {@code start}s cannot both release the process. {@code state}, a query, takes
 * none, as runc's: {@code state.json} is written once, whole, by rename(2). Nor does a
 * {@code kill} with SIGKILL or SIGTERM that finds the process alive ({@link Container#killWithoutLock}
 * says why that is safe). {@code create}
 * needs none: making the directory (mkdir(2)) either claims the id or fails, and the container
 * is visible to other commands only once its {@code state.json} is written, at the end.
 *
 * <p>{@code delete} removes the directory while it holds the lock, so a command that was
 * waiting then gets the lock on a directory that no longer has a name, or, if a new container
 * with the same id was created meanwhile, its path names another directory. After every
 * acquisition the lock checks that the locked directory is still at its path and holds the
 * state the caller loaded, and otherwise reports the container gone. The state is compared,
 * not the directory's inode number: a file system reuses the number of a removed directory
 * for the next one at once.
 *
 * <p>A second acquisition on a thread that already holds the lock reuses it: a flock through a
 * second descriptor would wait for the first one forever.
 *
 * <p>Hold it only for the operation, never while waiting for the container to exit: the lock
 * is how other commands get their turn.
 */
public final class StateLock implements AutoCloseable {

    private static final ThreadLocal<Map<Path, StateLock>> HELD = ThreadLocal.withInitial(HashMap::new);

    private final Path directory;
    private final Mode mode;
    /** The locked directory; null for a nested use of a lock this thread already holds. */
    private final OwnedFd descriptor;

    private StateLock(Path directory, Mode mode, OwnedFd descriptor) {
        this.directory = directory;
        this.mode = mode;
        this.descriptor = descriptor;
    }

    /** How the lock is held. */
    public enum Mode {
        /** With other readers; waits while a command holds it alone. */
        SHARED,
        /** Alone; waits for every other holder. */
        EXCLUSIVE
    }

    /** The device and inode of {@code path}, or null when there is nothing there. */
    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException gone) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ContainerException doesNotExist(String id) {
        return new ContainerException("container \"" + id + "\" does not exist");
    }

    /**
     * Locks the state directory of container {@code id}. {@code loaded} is the state the
     * caller read from it; null accepts whichever container is there now.
     */
    static StateLock acquire(Path directory, String id, StoredState loaded, Mode mode) {
        StateLock outer = HELD.get().get(directory);
        if (outer != null) {
            if (mode == Mode.EXCLUSIVE && outer.mode == Mode.SHARED) {
                throw new IllegalStateException(
                        "container \"" + id + "\": the shared lock is held, the exclusive one was asked for");
            }
            return new StateLock(directory, outer.mode, null);
        }
        OwnedFd descriptor = open(directory, id);
        try {
            FileLocks.lock(descriptor, mode == Mode.EXCLUSIVE, directory.toString());
            // /proc/self/fd/N leads to the locked directory even when it has no name any more;
            // while it is open, its inode number cannot pass to another directory.
            Object locked = fileKey(Path.of("/proc/self/fd/" + descriptor.fd()));
            if (!locked.equals(fileKey(directory))
                    || (loaded != null && !loaded.equals(StoredState.readIfPresent(directory)))) {
                throw doesNotExist(id);
            }
        } catch (RuntimeException e) {
            descriptor.close();
            throw e;
        }
        var lock = new StateLock(directory, mode, descriptor);
        HELD.get().put(directory, lock);
        return lock;
    }

    private static OwnedFd open(Path directory, String id) {
        try {
            return OwnedFd.open(directory.toString(), linux_h.O_RDONLY() | linux_h.O_DIRECTORY(), 0);
        } catch (SyscallException e) {
            if (e.errno() == linux_h.ENOENT()) {
                throw doesNotExist(id);
            }
            throw e;
        }
    }

    /**
     * Releases the lock, unless this was a nested use. It is unlocked before its descriptor is
     * closed: a process spawned while it was held (an exec'd process, a hook) has a copy of the
     * descriptor until it runs its program, and with that copy it would go on holding the lock.
     */
    @Override
    public void close() {
        if (descriptor != null) {
            HELD.get().remove(directory);
            try (descriptor) {
                FileLocks.unlock(descriptor, directory.toString());
            }
        }
    }
}
