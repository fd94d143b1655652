package dev.canal.images;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.canal.runtime.json.ReflectiveCreators;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The names of the images in a store, {@code <root>/repositories.json}: each name with the
 * digest it was registered with (a manifest or an index) and the platform manifest and config
 * chosen from it. An entry without a name is an image known only by its id, as docker's
 * {@code <none>} images: a build step's result, which the build cache reuses, or a commit
 * without a repository. Rewritten whole and renamed into place, under the store lock.
 */
final class ImageRecords {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            // Records made by core reflection, not method handles spun per record (start time).
            .addModule(ReflectiveCreators.module())
            .build();

    /**
     * @param name     the normalized name, e.g. {@code docker.io/library/busybox:latest}; null for none
     * @param target   what the name was registered with: a manifest or an index
     * @param manifest the linux/amd64 manifest
     * @param config   the config, whose digest is the image id
     * @param created  when it was registered here
     */
    record Entry(String name, Digest target, Digest manifest, Digest config, String created) {

        /** The name, or null for an image known only by its id. */
        ImageReference reference() {
            return name == null ? null : ImageReference.parse(name);
        }

        boolean named() {
            return name != null;
        }
    }

    record Document(List<Entry> images) {

        Document {
            images = images == null ? List.of() : List.copyOf(images);
        }
    }

    private final Path file;

    ImageRecords(Path storeRoot) {
        this.file = storeRoot.resolve("repositories.json");
    }

    List<Entry> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return MAPPER.readValue(file.toFile(), Document.class).images();
        } catch (JacksonException e) {
            throw new ImageException(file + " is damaged: " + e.getOriginalMessage());
        }
    }

    /** Replaces all records; call with the store lock held. */
    void write(List<Entry> entries) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(temporary, MAPPER.writeValueAsBytes(new Document(new ArrayList<>(entries))));
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
