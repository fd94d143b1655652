package dev.canal.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A container's run.lock, held while something runs it ({@link ContainerStore#holdWhileRunning}).
 * FileChannel.lock takes an fcntl(2) record lock: the kernel releases it when the holder's
 * process ends, however it ends, which is what lets a restarted daemon tell a container whose
 * keeper died from one still kept.
 *
 * <p>Record locks belong to the process, not the descriptor, so a process cannot see its own
 * lock with another tryLock (the JVM answers with OverlappingFileLockException, and a lock taken
 * and closed on a second descriptor would release the first): the locks held here are also kept
 * in {@link #HELD}.
 */
final class RunLock implements AutoCloseable {

    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;

    private RunLock(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Waits for and takes the lock of {@code file}, creating it. */
    static RunLock acquire(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            channel.lock();
            HELD.add(file);
            return new RunLock(file, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    static boolean heldHere(Path file) {
        return HELD.contains(file);
    }

    /** Whether this process or another holds the lock of {@code file}. */
    static boolean held(Path file) throws IOException {
        if (heldHere(file)) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            // A lock taken here goes with the channel when it closes.
            return channel.tryLock() == null;
        } catch (NoSuchFileException removed) {
            return false;
        } catch (OverlappingFileLockException takenHereMeanwhile) {
            return true;
        }
    }

    @Override
    public void close() {
        HELD.remove(file);
        try {
            channel.close();
        } catch (IOException released) {
            // Closing releases the lock even when close reports an error.
        }
    }
}
