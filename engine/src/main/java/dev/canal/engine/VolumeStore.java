package dev.canal.engine;

import dev.canal.images.store.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * Named volumes of docker's "local" driver: a directory per volume under the data root, laid
 * out as docker's ({@code <data root>/volumes/<name>/_data}, which containers mount), with
 * {@code volume.json} beside it for its creation time and labels.
 *
 * <p>A volume exists once its volume.json does: that file is written last, by a rename, so a
 * volume half made by a crash is not listed.
 */
public final class VolumeStore {

    /** The label docker puts on anonymous volumes, which {@code docker rm -v} removes with their container. */
    public static final String ANONYMOUS = "com.docker.volume.anonymous";

    /** docker's volume name pattern (moby's volume/local validName). */
    private static final String NAME_PATTERN = "[a-zA-Z0-9][a-zA-Z0-9_.-]{0,254}";

    private static final String ANONYMOUS_NAME = "[0-9a-f]{64}";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;

    public VolumeStore(Path dataRoot) {
        this.root = dataRoot.resolve("volumes");
    }

    /** Whether {@code name} can name a volume: it also keeps "..", "/" and the like out of paths. */
    static boolean isValidName(String name) {
        return name.matches(NAME_PATTERN);
    }

    /** A name for an anonymous volume: 32 random bytes in hex, as docker's. */
    public static String anonymousName() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Creates volume {@code name}, or returns the existing one unchanged, as {@code docker volume
     * create} does for a name already there.
     */
    public Info create(String name, Map<String, String> labels) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("volume name \"" + name
                    + "\" includes invalid characters: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        Path directory = root.resolve(name);
        try {
            Files.createDirectories(root);
            // mkdir(2) fails on an existing directory: of two concurrent creates, one makes it.
            Files.createDirectory(directory);
        } catch (FileAlreadyExistsException exists) {
            return inspect(name).orElseThrow(() -> new IllegalStateException("volume " + name + " is being created"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create volume " + name + ": " + e.getMessage(), e);
        }
        try {
            Files.createDirectory(directory.resolve("_data"));
            Info info = new Info(name, Instant.now().toString(), labels, directory.resolve("_data"));
            Path temporary = directory.resolve("volume.json.tmp");
            Files.writeString(temporary, JSON.writeValueAsString(info));
            Files.move(temporary, directory.resolve("volume.json"));
            return info;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create volume " + name + ": " + e.getMessage(), e);
        }
    }

    /** The volume, if there is one by that name. */
    public Optional<Info> inspect(String name) {
        if (!isValidName(name)) {
            return Optional.empty();
        }
        Path file = root.resolve(name).resolve("volume.json");
        try {
            return Optional.of(JSON.readValue(Files.readString(file), Info.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every volume, by name. */
    public List<Info> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Info> volumes = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.sorted().toList()) {
                inspect(entry.getFileName().toString()).ifPresent(volumes::add);
            }
            return volumes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the volume and its data; whether a container still uses it is the caller's check. */
    public void remove(String name) {
        if (inspect(name).isEmpty()) {
            throw new NoSuchObjectException("no such volume: " + name);
        }
        FileTrees.delete(root.resolve(name));
    }

    /**
     * The volume a {@code -v} names, created if it is not there yet (anonymous ones labelled
     * {@link #ANONYMOUS}), with its data directory as the mount's source.
     */
    public Volume resolve(Volume volume) {
        Map<String, String> labels = volume.name().matches(ANONYMOUS_NAME) ? Map.of(ANONYMOUS, "") : Map.of();
        return volume.at(create(volume.name(), labels).mountpoint());
    }

    /** What {@code docker volume inspect} shows, with the local driver's Mountpoint. */
    public record Info(String name, String createdAt, Map<String, String> labels, Path mountpoint) {}
}
