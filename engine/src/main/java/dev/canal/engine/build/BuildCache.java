package dev.canal.engine.build;

import dev.canal.images.Digest;
import dev.canal.images.Image;
import dev.canal.images.ImageLibrary;
import dev.canal.images.store.StoreLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The classic builder's cache: a step's result is reused when the store has an image made from
 * the same parent image by the same step. Docker finds it among the parent's children by
 * comparing their container configs (moby image/cache/compare.go); here each step has a key, the
 * digest of what decides its result ({@link #key}: the instruction as run, the build
 * arguments it sees, for COPY and ADD the checksums of the files), and {@code
 * <root>/build-cache.json} maps parent and key to the image made. An entry whose image has gone
 * ({@code rmi}, {@code image prune}) or lost a layer is a miss.
 */
final class BuildCache {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** {@code parent} is the parent image's id, or {@code scratch}. */
    record Entry(String parent, String key, String image) {}

    record Document(List<Entry> entries) {

        Document {
            entries = entries == null ? List.of() : List.copyOf(entries);
        }
    }

    private final ImageLibrary library;
    private final Path file;

    BuildCache(ImageLibrary library) {
        this.library = library;
        this.file = library.content().root().resolve("build-cache.json");
    }

    /** A step's key: the digest of its parts, each ended by a NUL so that no two lists run together. */
    static Digest key(List<String> parts) {
        var hash = Digest.newHash(Digest.SHA256);
        for (String part : parts) {
            hash.update(part.getBytes(StandardCharsets.UTF_8));
            hash.update((byte) 0);
        }
        return Digest.fromHash(Digest.SHA256, hash.digest());
    }

    /** The image an earlier build made from {@code parent} with step {@code key}, if it is still whole. */
    Optional<Image> find(String parent, Digest key) {
        return read().stream()
                .filter(entry -> entry.parent().equals(parent) && entry.key().equals(key.toString()))
                .map(entry -> library.find(entry.image()))
                .flatMap(Optional::stream)
                .filter(this::whole)
                .findFirst();
    }

    /** Remembers that step {@code key} on {@code parent} made {@code image}, replacing an older result. */
    void record(String parent, Digest key, Image image) {
        try (var lock = StoreLock.acquire(library.content().root())) {
            var entries = new ArrayList<>(read());
            entries.removeIf(
                    entry -> entry.parent().equals(parent) && entry.key().equals(key.toString()));
            entries.add(new Entry(parent, key.toString(), image.id().toString()));
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(
                    temporary, MAPPER.writeValueAsString(new Document(entries)).getBytes(StandardCharsets.UTF_8));
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every layer unpacked and its blob stored, so the image can run and be pushed. */
    private boolean whole(Image image) {
        return image.manifest().layers().stream()
                        .allMatch(layer -> library.content().has(layer.digest()))
                && image.diffIds().stream().allMatch(library.layers()::has);
    }

    private List<Entry> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return MAPPER.readValue(file.toFile(), Document.class).entries();
        } catch (JacksonException e) {
            throw new IllegalStateException(file + " is damaged: " + e.getOriginalMessage());
        }
    }
}
