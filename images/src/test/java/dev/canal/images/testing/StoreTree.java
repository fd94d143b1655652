package dev.canal.images.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A store's file tree as a sorted list of relative paths, to show that a failure changed nothing. */
public final class StoreTree {

    private StoreTree() {}

    public static List<String> of(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.map(path -> root.relativize(path).toString())
                    .filter(path -> !path.equals("lock"))
                    .sorted()
                    .toList();
        }
    }
}
