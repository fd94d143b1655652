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

public final class VolumeStore {
    public static final String ANONYMOUS = "com.docker.volume.anonymous";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path root;

    public VolumeStore(Path dataRoot) {
        this.root = dataRoot.resolve("volumes");
    }

    static boolean isValidName(String name) {
        return name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,254}");
    }

    public static String anonymousName() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public VolumeStore.Info create(String name, Map<String, String> labels) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("volume name \"" + name
                    + "\" includes invalid characters: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }

        Path directory = this.root.resolve(name);

        try {
            Files.createDirectories(this.root);
            Files.createDirectory(directory);
        } catch (FileAlreadyExistsException exists) {
            return this.inspect(name)
                    .orElseThrow(() -> new IllegalStateException("volume " + name + " is being created"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create volume " + name + ": " + e.getMessage(), e);
        }

        try {
            Files.createDirectory(directory.resolve("_data"));
            VolumeStore.Info info =
                    new VolumeStore.Info(name, Instant.now().toString(), labels, directory.resolve("_data"));
            Path temporary = directory.resolve("volume.json.tmp");
            Files.writeString(temporary, JSON.writeValueAsString(info));
            Files.move(temporary, directory.resolve("volume.json"));
            return info;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create volume " + name + ": " + e.getMessage(), e);
        }
    }

    public Optional<VolumeStore.Info> inspect(String name) {
        if (!isValidName(name)) {
            return Optional.empty();
        }

        Path file = this.root.resolve(name).resolve("volume.json");

        try {
            return Optional.of((VolumeStore.Info) JSON.readValue(Files.readString(file), VolumeStore.Info.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public List<VolumeStore.Info> list() {
        if (!Files.isDirectory(this.root)) {
            return List.of();
        }

        ArrayList<VolumeStore.Info> volumes = new ArrayList<>();

        try (Stream<Path> entries = Files.list(this.root)) {
            for (Path entry : entries.sorted().toList()) {
                this.inspect(entry.getFileName().toString()).ifPresent(volumes::add);
            }

            return volumes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void remove(String name) {
        if (this.inspect(name).isEmpty()) {
            throw new NoSuchObjectException("no such volume: " + name);
        }

        FileTrees.delete(this.root.resolve(name));
    }

    public Volume resolve(Volume volume) {
        Map<String, String> labels =
                volume.name().matches("[0-9a-f]{64}") ? Map.of("com.docker.volume.anonymous", "") : Map.of();
        return volume.at(this.create(volume.name(), labels).mountpoint());
    }

    public record Info(String name, String createdAt, Map<String, String> labels, Path mountpoint) {}
}
