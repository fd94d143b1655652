package dev.canal.runtime.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing a container's state directory, which holds only files Canal wrote. */
final class StateDirectories {

    private StateDirectories() {}

    /**
     * Removes {@code stateDirectory} and everything in it; its lock file last but the directory,
     * so that no command finds a container there without one ({@link StateLock}). Another
     * removal may end at the same moment: the directory may be gone at the end. Then, if this
     * thread holds the lock, marks its file removed for the commands waiting on it.
     */
    static void remove(Path stateDirectory) {
        if (!Files.exists(stateDirectory)) {
            return;
        }
        Path lockFile = stateDirectory.resolve(StateLock.FILE);
        try (Stream<Path> walk = Files.walk(stateDirectory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(lockFile) && !path.equals(stateDirectory)) {
                    Files.delete(path);
                }
            }
            Files.deleteIfExists(lockFile);
            Files.deleteIfExists(stateDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StateLock.removed(stateDirectory);
    }
}
