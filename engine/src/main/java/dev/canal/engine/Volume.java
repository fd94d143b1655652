package dev.canal.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code -v}, in docker's three forms (docker run(1), "--volume"):
 * <ul>
 *   <li>{@code HOST:CONTAINER[:ro|rw]}, a bind mount of an absolute host path;
 *   <li>{@code NAME:CONTAINER[:ro|rw]}, a named volume ({@link VolumeStore}), made on first use;
 *   <li>{@code CONTAINER}, an anonymous volume: a named one with a random 64-hex-digit name.
 * </ul>
 * A host path that does not exist is made as an empty directory at start
 * ({@link #createMissingSource()}), as docker does for {@code -v} (not for {@code --mount}).
 *
 * @param host      the absolute host path; for a volume, its data directory once resolved
 * @param container the absolute path inside the container
 * @param name      the volume's name, null for a bind mount
 */
public record Volume(Path host, String container, boolean readOnly, String name) {

    /** A bind mount. */
    public Volume(Path host, String container, boolean readOnly) {
        this(host, container, readOnly, null);
    }

    public static Volume parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length == 1 && text.startsWith("/")) {
            return new Volume(null, Path.of(text).normalize().toString(), false, VolumeStore.anonymousName());
        }
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("-v " + text + ": expected HOST:CONTAINER or HOST:CONTAINER:ro");
        }
        // What does not start with a slash is a volume name, as docker tells the two apart.
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
    }

    /** A named or anonymous volume, as opposed to a bind mount. */
    public boolean isVolume() {
        return name != null;
    }

    /** This volume mounted from {@code directory}, its data directory. */
    public Volume at(Path directory) {
        return new Volume(directory, container, readOnly, name);
    }

    /**
     * Makes the host path, and any parent missing too, as directories (mode 0755, root's, as
     * docker's mkdir -p); returns the directories made, outermost first, so that a start that
     * fails before its container ran can take them away again.
     */
    public List<Path> createMissingSource() {
        List<Path> missing = new ArrayList<>();
        for (Path path = host;
                path != null && !Files.exists(path, LinkOption.NOFOLLOW_LINKS);
                path = path.getParent()) {
            missing.addFirst(path);
        }
        try {
            for (Path directory : missing) {
                Files.createDirectory(directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("-v " + host + ":" + container + ": cannot create " + host + ": " + e, e);
        }
        return missing;
    }

    /** The config.json mount options: a recursive bind, private, read-only if asked, as docker writes them. */
    public List<String> options() {
        List<String> options = new ArrayList<>(List.of("rbind", "rprivate"));
        if (readOnly) {
            options.add("ro");
        }
        return options;
    }
}
