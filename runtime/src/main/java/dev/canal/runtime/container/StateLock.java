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
 * The lock that serialises commands on one container, for as long as one operation takes: the
 * state directory's lock file ({@link StateLockFile}, a fcntl(2) lock the JDK takes without a
 * downcall). Operations that only look or signal
 * ({@code kill}, {@code exec}, {@code ps}) share it; those that change the container
 * ({@code start}, {@code pause}, {@code resume}, {@code update}, {@code delete}) hold it alone.
 * So a {@code delete} never removes the directory under a {@code kill} that is signalling its
 * process, and two {@code start}s cannot both release the process. {@code state}, a query, takes
 * none, as runc's: {@code state.json} is written once, whole, by rename(2). Nor does a
 * {@code kill} with SIGKILL or SIGTERM that finds the process alive ({@link Container#killWithoutLock}
 * says why that is safe). {@code create} makes the directory (mkdir(2), which either claims the
 * id or fails) and its lock file, and holds the lock until the container is made: the container
 * is visible to other commands only once its {@code state.json} is written, at the end.
 *
 * <p>runc takes no lock across processes at all (only a mutex inside one process); what this one
 * buys: a {@code delete} waits for a {@code create} still at work instead of removing its
 * directory under it, two {@code start}s or two {@code delete}s of one container at once give one
 * success and one clear error, and a {@code kill}, {@code exec} or {@code ps} never sees the
 * container half removed (OciConcurrencyTest).
 *
 * <p>{@code delete} removes the directory while it holds the lock, so a command that was
 * waiting then gets the lock on a file that no longer has a name (marked so: see
 * {@link StateLockFile}), or, if a new container with the same id was created meanwhile, its
 * path names another directory. After every acquisition the lock checks that the container is
 * still there and holds the state the caller loaded, and otherwise reports it gone. The state is
 * compared, not an inode number: a file system reuses the number of a removed file for the next
 * one at once.
 *
 * <p>A directory without a lock file was made by an earlier Canal, which took flock(2) on the
 * directory itself: such a container is locked that way still (through FFM), by every command.
 *
 * <p>A second acquisition on a thread that already holds the lock reuses it: another would wait
 * for the first one forever.
 *
 * <p>Hold it only for the operation, never while waiting for the container to exit: the lock
 * is how other commands get their turn.
 */
public final class StateLock implements AutoCloseable {

    /** The name of the lock file in a state directory. */
    public static final String FILE = StateLockFile.NAME;

    private static final ThreadLocal<Map<Path, StateLock>> HELD = ThreadLocal.withInitial(HashMap::new);

    private final Path directory;
    private final Mode mode;
    /** The locked lock file; null for a nested use, or for a directory without one. */
    private final StateLockFile.Hold hold;
    /** The locked directory of an earlier Canal's container; null otherwise. */
    private final OwnedFd descriptor;

    private StateLock(Path directory, Mode mode, StateLockFile.Hold hold, OwnedFd descriptor) {
        this.directory = directory;
        this.mode = mode;
        this.hold = hold;
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
            return new StateLock(directory, outer.mode, null, null);
        }
        StateLock lock = null;
        while (lock == null) {
            StateLockFile.Hold hold = StateLockFile.lock(directory, mode == Mode.EXCLUSIVE, false);
            lock = hold != null
                    ? checked(directory, id, loaded, mode, hold)
                    : ofEarlierCanal(directory, id, loaded, mode);
        }
        HELD.get().put(directory, lock);
        return lock;
    }

    /**
     * Makes the lock file of the state directory {@code create} has just made, and holds it
     * alone until the container is created or its creation undone. Until the file is in place,
     * the directory itself is locked as an earlier Canal locked it: a command that found no lock
     * file (say, a {@code delete} of what it took for an unfinished creation) and locked the
     * directory instead waits, then finds the file and waits on it; one that locked the
     * directory first removes it, and this create then fails.
     */
    static StateLock acquireNew(Path directory) {
        String id = directory.getFileName().toString();
        StateLockFile.Hold hold;
        try (var directoryLock = lockDirectory(directory, id, null, Mode.EXCLUSIVE)) {
            hold = StateLockFile.lock(directory, true, true);
        } catch (ContainerException gone) {
            hold = null;
        }
        if (hold == null) {
            throw new ContainerException("container \"" + id + "\" was deleted while it was being created");
        }
        var lock = new StateLock(directory, Mode.EXCLUSIVE, hold, null);
        HELD.get().put(directory, lock);
        return lock;
    }

    private static StateLock checked(
            Path directory, String id, StoredState loaded, Mode mode, StateLockFile.Hold hold) {
        try {
            if (hold.removed() || (loaded != null && !loaded.equals(StoredState.readIfPresent(directory)))) {
                throw doesNotExist(id);
            }
        } catch (RuntimeException e) {
            hold.close();
            throw e;
        }
        return new StateLock(directory, mode, hold, null);
    }

    /**
     * flock(2) on the directory itself, as Canal locked it before lock files; or null, unlocked,
     * when a lock file is there once the directory is locked: its create put it there meanwhile,
     * and the caller locks that instead. A directory of this Canal is without one only in the
     * last instant of its removal (its lock file goes last) or the first of its create, which
     * holds this lock until its file is in place ({@link #acquireNew}).
     */
    private static StateLock ofEarlierCanal(Path directory, String id, StoredState loaded, Mode mode) {
        StateLock locked = lockDirectory(directory, id, loaded, mode);
        if (Files.exists(directory.resolve(FILE))) {
            locked.close();
            return null;
        }
        return locked;
    }

    /** flock(2) on {@code directory}, checked to be the one at its path still, holding {@code loaded}. */
    private static StateLock lockDirectory(Path directory, String id, StoredState loaded, Mode mode) {
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
        return new StateLock(directory, mode, null, descriptor);
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
     * Called once the state directory is removed: if this thread holds its lock, tells the
     * commands of other processes waiting on its lock file that the container is gone. Marked
     * after the removal, so a delete that dies halfway leaves a container that can still be
     * deleted.
     */
    static void removed(Path directory) {
        StateLock held = HELD.get().get(directory);
        if (held != null && held.hold != null) {
            held.hold.markRemoved();
        }
    }

    /**
     * Releases the lock, unless this was a nested use. An earlier Canal's directory lock is
     * unlocked before its descriptor is closed: a process spawned while it was held (an exec'd
     * process, a hook) has a copy of the descriptor until it runs its program, and with that
     * copy it would go on holding the lock. (A fcntl lock passes to no child.)
     */
    @Override
    public void close() {
        if (hold == null && descriptor == null) {
            return;
        }
        HELD.get().remove(directory, this); // a directory lock taken on the way to another is in no map
        if (hold != null) {
            hold.close();
        } else {
            try (descriptor) {
                FileLocks.unlock(descriptor, directory.toString());
            }
        }
    }
}
