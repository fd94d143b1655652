package dev.canal.runtime.container;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.StampedLock;

/**
 * The lock file of a state directory, locked with {@link FileChannel#lock}: the JDK's own form of
 * a lock, so taking it links no downcall (FFM's linking was half of a {@code delete}:
 * docs/start-time.md). That is a fcntl(2) record lock (F_SETLKW), which differs from flock(2) in
 * three ways this class makes up for:
 *
 * <ul>
 *   <li>It belongs to the process, not to the open file: threads of one JVM (canald's) do not
 *       exclude each other, and the JDK refuses a second lock on the same file in one JVM
 *       ({@code OverlappingFileLockException}). So one JVM holds each file's lock once, through one
 *       channel, and its threads queue in front of it on a {@link StampedLock}; threads that share
 *       the lock share that one hold.
 *   <li>An exclusive lock needs a descriptor open for writing, which a directory cannot have: so
 *       a file, {@link #NAME}, that {@code create} makes in the new directory before anything else.
 *   <li>Closing any descriptor of the file releases the process's locks on it (fcntl(2), NOTES):
 *       nothing but this class opens it. A child process gets no part of the lock (fork(2)), so it
 *       cannot keep holding it as a child with a copy of a flock(2) descriptor could.
 * </ul>
 *
 * <p>A {@code delete} removes the file with its directory while it holds the lock, then writes a
 * byte into it: a command of another process that was waiting on the removed file then gets the
 * lock on a file that is not empty, and knows the container is gone ({@link #removed}). A waiter
 * also compares the file at the path with the one it opened (device and inode), for a delete that
 * died before its mark.
 *
 * <p>{@code create} makes the file under another name, locks it, and only then renames it to
 * {@link #NAME}: no other process can lock a state directory's lock file before its create does.
 */
final class StateLockFile {

    /** Its name in the state directory. */
    static final String NAME = "lock";

    /** The name create makes it under, locked before it is renamed to {@link #NAME}. */
    private static final String NEW_NAME = "lock.new";

    /** Only root reads or writes it: it is opened for writing, never followed through a link. */
    private static final FileAttribute<Set<PosixFilePermission>> ROOT_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /** The files this JVM holds or waits for, by path: guarded by itself. */
    private static final Map<Path, StateLockFile> IN_USE = new HashMap<>();

    private final Path file;
    /** Orders this JVM's threads: shared holders together, an exclusive one alone. */
    private final StampedLock threads = new StampedLock();
    /** Threads that hold or wait for this file: guarded by {@link #IN_USE}. */
    private int users;
    // The process's hold while threads of this JVM hold it (guarded by this): the file, its lock,
    // which file was at the path when it was opened, and how many threads share it.
    private FileChannel channel;
    private FileLock lock;
    private Object opened;
    private int holders;

    private StateLockFile(Path file) {
        this.file = file;
    }

    /** One thread's hold on a lock file; {@link #close} releases it. */
    static final class Hold implements AutoCloseable {

        private final StateLockFile locked;
        private final long stamp;

        private Hold(StateLockFile locked, long stamp) {
            this.locked = locked;
            this.stamp = stamp;
        }

        /** Whether a delete removed the file (and its directory) before this hold got the lock. */
        boolean removed() {
            return locked.removed();
        }

        /** Says to other processes waiting on the file that it was removed with its directory. */
        void markRemoved() {
            locked.markRemoved();
        }

        @Override
        public void close() {
            locked.release(stamp);
        }
    }

    /**
     * Waits until the lock file of {@code stateDirectory} is locked, shared or exclusive. With
     * {@code create} it makes the file, which must not exist yet. Returns null when there is no
     * lock file: a directory of an earlier Canal, which locked the directory itself, or one a
     * delete is about to remove.
     */
    static Hold lock(Path stateDirectory, boolean exclusive, boolean create) {
        // One entry per file, however the caller spelled its directory: fcntl(2) locks and the
        // JDK's lock table are per file, and two channels of one file would release each other's lock.
        Path file = stateDirectory.toAbsolutePath().normalize().resolve(NAME);
        StateLockFile locked;
        synchronized (IN_USE) {
            locked = IN_USE.computeIfAbsent(file, StateLockFile::new);
            locked.users++;
        }
        long stamp = exclusive ? locked.threads.writeLock() : locked.threads.readLock();
        try {
            locked.hold(exclusive, create);
            return new Hold(locked, stamp);
        } catch (NoSuchFileException none) {
            locked.leave(stamp);
            return null;
        } catch (IOException e) {
            locked.leave(stamp);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            locked.leave(stamp);
            throw e;
        }
    }

    /**
     * Takes the process's lock, or joins this JVM's shared hold of it. The monitor is held while
     * waiting for another process: no thread of this JVM holds the file then (lock is null), and
     * those that come to share it would wait for the same lock anyway.
     */
    private synchronized void hold(boolean exclusive, boolean create) throws IOException {
        if (lock == null) {
            Path path = create ? file.resolveSibling(NEW_NAME) : file;
            Object before = create ? null : fileKey(file);
            FileChannel opening = create
                    ? FileChannel.open(path, Set.of(READ, WRITE, CREATE_NEW, LinkOption.NOFOLLOW_LINKS), ROOT_ONLY)
                    : FileChannel.open(path, READ, WRITE, LinkOption.NOFOLLOW_LINKS);
            try {
                if (!create && before == null) {
                    before = fileKey(file); // its create renamed it into place just now
                }
                // Waits while another process holds it in a conflicting mode.
                lock = uninterrupted(() -> opening.lock(0, Long.MAX_VALUE, !exclusive));
                if (create) {
                    // rename(2) moves the inode, and with it the lock (fcntl(2) locks are per inode).
                    Files.move(path, file, StandardCopyOption.ATOMIC_MOVE);
                    before = fileKey(file);
                }
            } catch (IOException | RuntimeException e) {
                lock = null;
                opening.close();
                throw e;
            }
            channel = opening;
            opened = before;
        }
        holders++;
    }

    /** The device and inode of {@code path}, or null when there is nothing there. */
    private static Object fileKey(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    /**
     * Marked by a delete, or no longer the file at the path. The file held open cannot lose its
     * inode number to another, so a different key at the path is another file (or none).
     */
    private synchronized boolean removed() {
        try {
            return uninterrupted(() -> channel.size() > 0) || opened == null || !Objects.equals(opened, fileKey(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void markRemoved() {
        try {
            uninterrupted(() -> channel.write(ByteBuffer.wrap(new byte[] {1}), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An operation on a file channel. */
    private interface ChannelCall<T> {
        T call() throws IOException;
    }

    /**
     * Runs {@code call} with this thread's interrupt status cleared, then sets it again if it was
     * set. A file channel is interruptible: an interrupted thread's operation closes it, and with
     * it the lock that other threads of this JVM may share. (flock(2) ignored interrupts, too.)
     */
    private static <T> T uninterrupted(ChannelCall<T> call) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            return call.call();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ends one thread's hold: the last shared holder, or the exclusive one, releases the process's lock. */
    private void release(long stamp) {
        try {
            synchronized (this) {
                if (--holders == 0) {
                    try (FileChannel closing = channel) {
                        lock.release();
                    } catch (ClosedChannelException alreadyReleased) {
                        // An interrupt closed the channel, and the lock went with it.
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } finally {
                        lock = null;
                        channel = null;
                        opened = null;
                    }
                }
            }
        } finally {
            // Whatever the file did, this JVM's other threads get their turn.
            leave(stamp);
        }
    }

    /** Lets the next thread of this JVM in, and forgets the file when no thread uses it. */
    private void leave(long stamp) {
        threads.unlock(stamp);
        synchronized (IN_USE) {
            if (--users == 0) {
                IN_USE.remove(file);
            }
        }
    }

    /** Threads of this JVM waiting for the file of {@code stateDirectory}: for tests. */
    static int waitingThreads(Path stateDirectory) {
        StateLockFile locked;
        int users;
        synchronized (IN_USE) {
            locked = IN_USE.get(stateDirectory.toAbsolutePath().normalize().resolve(NAME));
            if (locked == null) {
                return 0;
            }
            users = locked.users;
        }
        return users - locked.threads.getReadLockCount() - (locked.threads.isWriteLocked() ? 1 : 0);
    }
}
