package dev.canal.images.layer;

import dev.canal.images.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which containers use which layers: {@code <root>/containers/<id>/layers}, one diffID a line.
 * A container keeps its layers even after its image is removed, so pruning asks here too.
 */
public final class LayerUsers {

    private final Path containers;

    public LayerUsers(Path storeRoot) {
        this.containers = storeRoot.resolve("containers");
    }

    /** The directory of container {@code id}'s own state in the store (upper and work directories). */
    public Path containerDirectory(String id) {
        return containers.resolve(id);
    }

    /** Records that container {@code id} uses {@code diffIds}; call with the store lock held. */
    public void record(String id, List<Digest> diffIds) {
        try {
            Path directory = Files.createDirectories(containerDirectory(id));
            Path temporary = directory.resolve("layers.tmp");
            Files.write(temporary, diffIds.stream().map(Digest::toString).toList());
            Files.move(temporary, directory.resolve("layers"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the layers of container " + id + ": " + e.getMessage(), e);
        }
    }

    /** Every layer some container uses. */
    public Set<Digest> inUse() {
        var used = new HashSet<Digest>();
        if (!Files.isDirectory(containers)) {
            return used;
        }
        try (Stream<Path> entries = Files.list(containers)) {
            for (Path container : entries.toList()) {
                try {
                    Files.readAllLines(container.resolve("layers")).stream()
                            .filter(line -> !line.isBlank())
                            .map(Digest::parse)
                            .forEach(used::add);
                } catch (NoSuchFileException beingCreatedOrRemoved) {
                    // A container directory without its record yet, or half removed: it holds no layers.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + containers + ": " + e.getMessage(), e);
        }
        return used;
    }
}
