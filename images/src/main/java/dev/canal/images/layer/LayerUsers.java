package dev.canal.images.layer;

import dev.canal.images.Digest;
import dev.canal.runtime.sys.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
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

    /**
     * Records that container {@code id} uses {@code diffIds}, creating its directory; call with
     * the store lock held. The containers' directories are owner-only (0700): each will hold its
     * container's config.
     */
    public void record(String id, List<Digest> diffIds) {
        OwnerOnly.directory(containers);
        Path directory = OwnerOnly.directory(containerDirectory(id));
        String lines = diffIds.stream().map(diffId -> diffId + "\n").collect(Collectors.joining());
        OwnerOnly.write(directory.resolve("layers"), lines.getBytes(StandardCharsets.US_ASCII));
    }

    /** The layers container {@code id} uses, lowest first, as {@link #record} wrote them. */
    public List<Digest> layersOf(String id) {
        Path record = containerDirectory(id).resolve("layers");
        try {
            return Files.readAllLines(record).stream()
                    .filter(line -> !line.isBlank())
                    .map(Digest::parse)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + record + ": " + e.getMessage(), e);
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
