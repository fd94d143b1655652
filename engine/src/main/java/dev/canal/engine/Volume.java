package dev.canal.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public record Volume(Path host, String container, boolean readOnly, String name) {
    public Volume(Path host, String container, boolean readOnly) {
        this(host, container, readOnly, null);
    }

    public static Volume parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length == 1 && text.startsWith("/")) {
            return new Volume(null, Path.of(text).normalize().toString(), false, VolumeStore.anonymousName());
        }

        if (parts.length >= 2 && parts.length <= 3) {
            boolean named = !parts[0].startsWith("/");
            if (named && !VolumeStore.isValidName(parts[0])) {
                throw new IllegalArgumentException("-v " + text + ": \"" + parts[0]
                        + "\" is neither an absolute host path nor a volume name (letters, digits, _ . -)");
            }

            if (!parts[1].startsWith("/")) {
                throw new IllegalArgumentException("-v " + text + ": the container path must be absolute");
            }

            boolean readOnly = false;
            if (parts.length == 3) {
                readOnly = switch (parts[2]) {
                    case "ro" -> true;
                    case "rw" -> false;
                    default ->
                        throw new IllegalArgumentException(
                                "-v " + text + ": unknown option \"" + parts[2] + "\" (ro or rw)");
                };
            }

            String container = Path.of(parts[1]).normalize().toString();
            return named
                    ? new Volume(null, container, readOnly, parts[0])
                    : new Volume(Path.of(parts[0]).normalize(), container, readOnly, null);
        } else {
            throw new IllegalArgumentException("-v " + text + ": expected HOST:CONTAINER or HOST:CONTAINER:ro");
        }
    }

    public boolean isVolume() {
        return this.name != null;
    }

    public Volume at(Path directory) {
        return new Volume(directory, this.container, this.readOnly, this.name);
    }

    public List<Path> createMissingSource() {
        ArrayList<Path> missing = new ArrayList<>();

        for (Path path = this.host;
                path != null && !Files.exists(path, LinkOption.NOFOLLOW_LINKS);
                path = path.getParent()) {
            missing.addFirst(path);
        }

        try {
            for (Path directory : missing) {
                Files.createDirectory(directory);
            }

            return missing;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "-v " + this.host + ":" + this.container + ": cannot create " + this.host + ": " + e, e);
        }
    }

    public List<String> options() {
        ArrayList<String> options = new ArrayList<>(List.of("rbind", "rprivate"));
        if (this.readOnly) {
            options.add("ro");
        }

        return options;
    }
}
