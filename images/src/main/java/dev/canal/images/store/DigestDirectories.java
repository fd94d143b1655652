package dev.canal.images.store;

import dev.canal.images.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Directories whose entries are named {@code <algorithm>/<hex>}: the blobs, and the unpacked layers. */
public final class DigestDirectories {

    private DigestDirectories() {}

    /** The digests named under {@code directory}. */
    public static List<Digest> list(Path directory) {
        var digests = new ArrayList<Digest>();
        try (Stream<Path> algorithms = Files.list(directory)) {
            for (Path algorithm : algorithms.toList()) {
                try (Stream<Path> entries = Files.list(algorithm)) {
                    entries.forEach(entry -> digests.add(new Digest(
                            algorithm.getFileName().toString(),
                            entry.getFileName().toString())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        return digests;
    }
}
