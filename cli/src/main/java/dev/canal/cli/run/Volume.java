package dev.canal.cli.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code -v HOST:CONTAINER[:ro|rw]} bind mount. Only host paths are supported (docker also
 * has named volumes, which Canal has not). A host path that does not exist is made as an empty
 * directory when the container is created ({@link #createMissingSource()}), as docker does for
 * {@code -v} (not for {@code --mount}).
 *
 * @param host      the absolute host path
 * @param container the absolute path inside the container
 */
record Volume(Path host, String container, boolean readOnly) {

    static Volume parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("-v " + text + ": expected HOST:CONTAINER or HOST:CONTAINER:ro");
        }
        if (!parts[0].startsWith("/")) {
            throw new IllegalArgumentException(
                    "-v " + text + ": the host path must be absolute (named volumes are not supported)");
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
        Path host = Path.of(parts[0]).normalize();
        return new Volume(host, Path.of(parts[1]).normalize().toString(), readOnly);
    }

    /**
     * Makes the host path, and any parent missing too, as directories (mode 0755, root's, as
     * docker's mkdir -p); returns the directories made, outermost first, so that a run that
     * fails before its container ran can take them away again.
     */
    List<Path> createMissingSource() {
        var missing = new ArrayList<Path>();
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
    List<String> options() {
        var options = new ArrayList<>(List.of("rbind", "rprivate"));
        if (readOnly) {
            options.add("ro");
        }
        return options;
    }
}
