package dev.canal.engine.build;

import dev.canal.engine.ContainerArchive;
import dev.canal.engine.UserResolution;
import dev.canal.images.Digest;
import dev.canal.images.layer.Compression;
import dev.canal.images.tar.TarReader;
import dev.canal.images.tar.TarWriter;
import dev.canal.runtime.rootfs.RootDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * COPY and ADD of local files (Dockerfile reference, "COPY", "ADD"): which files, where they go
 * and with which owner and mode, and their checksum for the cache.
 * <ul>
 *   <li>a directory source copies what is in it; a file keeps its name under a destination
 *       directory, or takes the destination's name when that is not a directory;
 *   <li>the destination is a directory when it ends with {@code /}, when there are several
 *       sources or a wildcard, or when the image has a directory there; a relative one is
 *       relative to the WORKDIR; missing directories are made;
 *   <li>files belong to root, or to {@code --chown} (names looked up in the image's
 *       /etc/passwd and /etc/group); they keep their mode, or take {@code --chmod}'s (octal);
 *   <li>ADD unpacks a local tar archive (plain, gzip or zstd, as {@link Compression} reads it) into the destination directory, with the archive's owners.
 * </ul>
 * The files reach the image as a tar unpacked by {@link ContainerArchive#extract}, the code of
 * {@code docker cp}, which resolves every path inside the container's root.
 */
final class FileCopy {

    private static final int MODE_BITS = 07777;

    private final SourceFiles sources;
    private final List<String> matched;
    private final String destination;
    private final boolean unpackArchives;
    private final String chown;
    private final Integer chmod;

    /** A directory whatever the image has there: a trailing slash, several sources, a wildcard. */
    private final boolean forcedDirectory;

    /**
     * @param patterns    the sources as written (wildcards allowed)
     * @param destination the destination, already made absolute against the WORKDIR
     */
    FileCopy(SourceFiles sources, List<String> patterns, String destination, String chown, String chmod, boolean add) {
        this.sources = sources;
        this.destination = destination;
        this.unpackArchives = add;
        this.chown = chown == null || chown.isEmpty() ? null : chown;
        this.chmod = parseMode(chmod);
        var all = new ArrayList<String>();
        for (String pattern : patterns) {
            all.addAll(sources.match(pattern));
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no source files were specified: " + String.join(" ", patterns)
                    + " matches nothing in the build context");
        }
        boolean toDirectory =
                destination.endsWith("/") || all.size() > 1 || patterns.stream().anyMatch(SourceFiles::hasWildcard);
        if (all.size() > 1 && !destination.endsWith("/")) {
            throw new IllegalArgumentException(
                    "When using COPY with more than one source file, the destination must be a directory and end with a /");
        }
        this.matched = List.copyOf(all);
        this.forcedDirectory = toDirectory;
    }

    private static Integer parseMode(String chmod) {
        if (chmod == null || chmod.isEmpty()) {
            return null;
        }
        if (!chmod.matches("[0-7]{3,4}")) {
            throw new IllegalArgumentException("--chmod=" + chmod + ": not an octal mode such as 755");
        }
        return Integer.parseInt(chmod, 8);
    }

    /** The checksum of every file this copies, for the cache key. */
    Digest checksum() throws IOException {
        var checksum = new SourceFiles.Checksum();
        for (String source : matched) {
            sources.items(source, lastComponent(source), checksum);
        }
        return checksum.digest();
    }

    /** Copies the files into the root filesystem at {@code rootfs}; {@code scratch} holds the temporary tar. */
    void into(Path rootfs, Path scratch) throws IOException {
        long uid = 0;
        long gid = 0;
        if (chown != null) {
            UserResolution owner = UserResolution.resolve(chown, rootfs);
            uid = owner.uid();
            gid = owner.gid();
        }
        String directory;
        String fileName = null;
        try (RootDirectory root = RootDirectory.open(rootfs.toString())) {
            // A directory source copies what it holds: into the destination, never named as it.
            if (forcedDirectory
                    || root.isDirectory(destination)
                    || matched.stream().anyMatch(sources::isDirectory)) {
                directory = destination;
            } else {
                int slash = destination.lastIndexOf('/');
                directory = slash <= 0 ? "/" : destination.substring(0, slash);
                fileName = destination.substring(slash + 1);
            }
            root.makeDirectories(directory, 0755);
        }
        Path tar = Files.createTempFile(scratch, "copy-", ".tar");
        try {
            try (OutputStream out = Files.newOutputStream(tar)) {
                var writer = new TarWriter(out);
                for (String source : matched) {
                    if (unpackArchives && isArchive(source)) {
                        continue;
                    }
                    String name = fileName != null ? fileName : lastComponent(source);
                    long owner = uid;
                    long group = gid;
                    sources.items(source, name, item -> add(writer, item, owner, group));
                }
                writer.finish();
            }
            try (InputStream in = Files.newInputStream(tar)) {
                ContainerArchive.extract(rootfs, directory, in);
            }
            for (String source : matched) {
                if (unpackArchives && isArchive(source)) {
                    unpack(source, rootfs, directory);
                }
            }
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    private void add(TarWriter tar, SourceFiles.Item item, long uid, long gid) throws IOException {
        Path file = item.file();
        LinkOption[] options = item.linkOptions();
        int mode = (Integer) Files.getAttribute(file, "unix:mode", options) & MODE_BITS;
        long mtime = Files.getLastModifiedTime(file, options).toInstant().getEpochSecond();
        int wanted = chmod == null ? mode : chmod;
        if (!item.top() && Files.isSymbolicLink(file)) {
            tar.add(
                    item.name(),
                    TarWriter.SYMLINK,
                    0777,
                    uid,
                    gid,
                    0,
                    mtime,
                    Files.readSymbolicLink(file).toString(),
                    null);
        } else if (Files.isDirectory(file, options)) {
            tar.add(item.name() + "/", TarWriter.DIRECTORY, wanted, uid, gid, 0, mtime, null, null);
        } else if (Files.isRegularFile(file, options)) {
            try (InputStream content = Files.newInputStream(file)) {
                tar.add(item.name(), TarWriter.REGULAR, wanted, uid, gid, Files.size(file), mtime, null, content);
            }
        }
    }

    /** Whether a source is a regular file that reads as a (possibly compressed) tar archive. */
    private boolean isArchive(String source) throws IOException {
        try (InputStream file = sources.read(source)) {
            if (file == null) {
                return false;
            }
            try (InputStream content = Compression.decompress(file)) {
                return new TarReader(content).next() != null;
            } catch (IOException | RuntimeException notATar) {
                return false;
            }
        }
    }

    private void unpack(String source, Path rootfs, String directory) throws IOException {
        try (InputStream content = Compression.decompress(sources.read(source))) {
            ContainerArchive.extract(rootfs, directory, content);
        }
    }

    private static String lastComponent(String relative) {
        return relative.substring(relative.lastIndexOf('/') + 1);
    }
}
