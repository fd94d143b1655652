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

    static void remove(Path stateDirectory) {
        if (!Files.exists(stateDirectory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(stateDirectory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
