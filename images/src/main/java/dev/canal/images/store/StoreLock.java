package dev.canal.images.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store's mutation lock: held while image records change, layers are unpacked for an
 * image, containers record the layers they use, or unused layers are pruned, so two canal
 * processes cannot remove what the other is about to use.
 *
 * <p>It is an fcntl(2) record lock on {@code <root>/lock} (what {@link FileChannel#lock()} takes),
 * which the kernel drops when the process dies, so a crashed command never leaves the store
 * locked. Such locks belong to a process, not a thread, so threads of one JVM also queue on a
 * lock of their own first.
 */
public final class StoreLock implements AutoCloseable {

    private static final ReentrantLock IN_THIS_JVM = new ReentrantLock();

    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits for and takes the lock of the store at {@code root}. */
    public static StoreLock acquire(Path root) {
        IN_THIS_JVM.lock();
        try {
            FileChannel channel =
                    FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                return new StoreLock(channel, channel.lock());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            IN_THIS_JVM.unlock();
            throw new UncheckedIOException("cannot lock the image store " + root + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            IN_THIS_JVM.unlock();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlock the image store: " + e.getMessage(), e);
        } finally {
            IN_THIS_JVM.unlock();
        }
    }
}
