package dev.canal.images.archive;

import dev.canal.images.ImageException;
import dev.canal.images.store.FileTrees;
import dev.canal.images.tar.TarEntry;
import dev.canal.images.tar.TarReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The files of an image archive, read either from a directory (an OCI image layout on disk) or
 * from a tar of one (an OCI layout tar, {@code docker save} output), which is first extracted
 * into a private temporary directory. Archive paths are checked: none may leave the archive.
 * Symlinks in a tar (older {@code docker save} links repeated layers) are kept as aliases and
 * resolved by name inside the archive, never written to disk.
 */
final class ArchiveDirectory implements AutoCloseable {

    private final Path archive;
    private final Path directory;
    private final boolean temporary;
    private final Map<String, String> aliases;

    /** {@code archive} as the user named it, for messages; {@code directory} where its files are. */
    private ArchiveDirectory(Path archive, Path directory, boolean temporary, Map<String, String> aliases) {
        this.archive = archive;
        this.directory = directory;
        this.temporary = temporary;
        this.aliases = aliases;
    }

    /** A directory or a tar file, whichever {@code archive} is. */
    static ArchiveDirectory open(Path archive, Path scratch) {
        if (Files.isDirectory(archive)) {
            return new ArchiveDirectory(archive, archive, false, Map.of());
        }
        if (!Files.isRegularFile(archive)) {
            throw new ImageException(archive + " does not exist");
        }
        Path extracted = null;
        try (InputStream input = Files.newInputStream(archive)) {
            extracted = Files.createTempDirectory(scratch, "archive-");
            var aliases = new HashMap<String, String>();
            var tar = new TarReader(input);
            for (TarEntry entry = tar.next(); entry != null; entry = tar.next()) {
                String name = normalize(entry.name(), archive);
                switch (entry.type()) {
                    case DIRECTORY -> Files.createDirectories(extracted.resolve(name));
                    case REGULAR -> {
                        Path file = extracted.resolve(name);
                        Files.createDirectories(file.getParent());
                        Files.copy(tar.content(), file);
                    }
                    case SYMLINK -> aliases.put(name, normalize(parentOf(name) + entry.linkName(), archive));
                    case HARD_LINK -> aliases.put(name, normalize(entry.linkName(), archive));
                    default ->
                        throw new ImageException(archive + ": member '" + entry.name() + "' is a " + entry.type()
                                + ", not expected in an image archive");
                }
            }
            return new ArchiveDirectory(archive, extracted, true, aliases);
        } catch (IOException e) {
            FileTrees.delete(extracted);
            throw new ImageException(archive + " is not a readable image archive: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (extracted != null) {
                FileTrees.delete(extracted);
            }
            throw e;
        }
    }

    /** Whether the archive has {@code name}. */
    boolean has(String name) {
        return Files.isRegularFile(file(name));
    }

    /** The file {@code name} in the archive; its path is checked to stay inside. */
    Path file(String name) {
        String normalized = normalize(name, archive);
        for (int hops = 0; aliases.containsKey(normalized) && hops < 16; hops++) {
            normalized = aliases.get(normalized);
        }
        return directory.resolve(normalized);
    }

    byte[] read(String name) {
        Path file = file(name);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ImageException("the archive has no readable " + name + ": " + e.getMessage(), e);
        }
    }

    /** Lexically normalized relative path; refuses absolute paths and {@code ..} leaving the archive. */
    private static String normalize(String name, Path archive) {
        Path path = Path.of(name).normalize();
        if (path.isAbsolute() || path.startsWith("..")) {
            throw new ImageException(archive + ": path '" + name + "' leaves the archive");
        }
        return path.toString();
    }

    private static String parentOf(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash + 1);
    }

    @Override
    public void close() {
        if (temporary) {
            try {
                FileTrees.delete(directory);
            } catch (UncheckedIOException e) {
                throw new ImageException("cannot remove the extracted archive " + directory + ": " + e.getMessage(), e);
            }
        }
    }
}
