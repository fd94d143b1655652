package dev.canal.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

final class RunLock implements AutoCloseable {
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    private final Path file;
    private final FileChannel channel;

    private RunLock(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

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

    static boolean held(Path file) throws IOException {
        if (heldHere(file)) {
            return true;
        }

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            return channel.tryLock() == null;
        } catch (NoSuchFileException removed) {
            return false;
        } catch (OverlappingFileLockException takenHereMeanwhile) {
            return true;
        }
    }

    @Override
    public void close() {
        HELD.remove(this.file);

        try {
            this.channel.close();
        } catch (IOException var2) {
        }
    }
}
