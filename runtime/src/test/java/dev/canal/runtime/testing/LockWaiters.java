package dev.canal.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many lock requests wait on a file, from /proc/locks (proc(5)): a blocked request is a
 * line with "->", "N: -> FLOCK ADVISORY READ pid major:minor:inode start end" (POSIX for a
 * fcntl(2) lock). Tests use it to
 * know that commands are queued on a lock, without guessing how long that takes.
 */
public final class LockWaiters {

    private LockWaiters() {}

    /** The requests blocked on {@code file}'s lock now, from any process. */
    public static long on(Path file) {
        try {
            long inode = (Long) Files.getAttribute(file, "unix:ino");
            return Files.readAllLines(Path.of("/proc/locks")).stream()
                    .filter(line -> line.contains("->") && line.contains(":" + inode + " "))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
