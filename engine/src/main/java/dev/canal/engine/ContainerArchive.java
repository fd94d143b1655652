package dev.canal.engine;

import dev.canal.images.tar.TarEntry;
import dev.canal.images.tar.TarReader;
import dev.canal.images.tar.TarWriter;
import dev.canal.runtime.rootfs.RootDirectory;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.PathAt;
import dev.canal.runtime.sys.SyscallException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code docker cp}: the Engine API's archive endpoints on a container's root filesystem, the
 * running container's (/proc/PID/root) or its mounted layers when stopped.
 * <ul>
 *   <li>{@link #stat} answers HEAD /containers/{id}/archive, the X-Docker-Container-Path-Stat
 *       header the CLI reads to decide how to copy;
 *   <li>{@link #export} is GET: a tar of the path, its top member named after the path's last
 *       component, so the CLI can extract it under any name;
 *   <li>{@link #extract} is PUT: a tar unpacked into a directory of the container.
 * </ul>
 * Every path is resolved inside the root ({@link RootDirectory}, openat2(2) RESOLVE_IN_ROOT):
 * a symlink in the container, absolute or full of "..", cannot lead to the host's files.
 */
public final class ContainerArchive {

    /** Go's os.ModeDir and os.ModeSymlink, the bits docker's path stat adds to the permissions. */
    private static final long GO_MODE_DIRECTORY = 1L << 31;

    private static final long GO_MODE_SYMLINK = 1L << 27;

    private static final int MODE_BITS = 07777;
    private static final int DIRECTORY_MODE = 0755;

    private ContainerArchive() {}

    /**
     * What is at {@code inside}, not following a final symlink: its name, size, mode as Go's
     * os.FileMode and the link target, the JSON of docker's path stat header.
     */
    public static PathStat stat(Path root, String inside) {
        try (RootDirectory rootDirectory = RootDirectory.open(root.toString());
                OwnedFd parent = rootDirectory.resolve(parentOf(inside))) {
            Path file = Path.of(RootDirectory.procPath(parent)).resolve(nameOf(inside));
            PosixFileAttributes attributes =
                    Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            long mode = permissions(attributes.permissions());
            String link = "";
            if (attributes.isDirectory()) {
                mode |= GO_MODE_DIRECTORY;
            } else if (attributes.isSymbolicLink()) {
                mode |= GO_MODE_SYMLINK;
                link = Files.readSymbolicLink(file).toString();
            }
            String name = nameOf(inside).isEmpty() ? "/" : nameOf(inside);
            return new PathStat(
                    name,
                    attributes.size(),
                    mode,
                    attributes.lastModifiedTime().toInstant().toString(),
                    link);
        } catch (NoSuchFileException | SyscallException missing) {
            throw new NoSuchObjectException("Could not find the file " + inside + " in container");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a tar of {@code inside} to {@code out}: a file as one member, a directory as itself
     * and everything under it. The top is named after the last component ("." for the root).
     * Symlinks below the top are archived as links, never followed.
     */
    public static void export(Path root, String inside, OutputStream out) throws IOException {
        try (RootDirectory rootDirectory = RootDirectory.open(root.toString());
                OwnedFd start = rootDirectory.resolve(inside)) {
            Path resolved = Path.of(RootDirectory.procPath(start));
            String top = nameOf(inside).isEmpty() ? "." : nameOf(inside);
            TarWriter tar = new TarWriter(out);
            if (Files.isDirectory(resolved)) {
                // Through "." the walk enters the directory the /proc link names, and its paths
                // stay under that link.
                Path base = resolved.resolve(".");
                List<Path> members;
                try (Stream<Path> walk = Files.walk(base)) {
                    members = walk.toList();
                }
                for (Path member : members) {
                    String relative = base.relativize(member).toString();
                    add(tar, member, relative.isEmpty() ? top : top + "/" + relative, relative.isEmpty());
                }
            } else {
                add(tar, resolved, top, true);
            }
            tar.finish();
        }
    }

    /**
     * Adds one file; {@code top} is the /proc link of the resolved path, whose link must be
     * followed. Sockets, fifos and devices are left out.
     */
    private static void add(TarWriter tar, Path file, String name, boolean top) throws IOException {
        LinkOption[] follow = top ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class, follow);
        // The whole mode, not only the rwx bits PosixFileAttributes has: docker cp keeps
        // set-user-ID, set-group-ID and sticky bits, as tar does.
        int mode = (Integer) Files.getAttribute(file, "unix:mode", follow) & MODE_BITS;
        long uid = ((Number) Files.getAttribute(file, "unix:uid", follow)).longValue();
        long gid = ((Number) Files.getAttribute(file, "unix:gid", follow)).longValue();
        long mtime = attributes.lastModifiedTime().toInstant().getEpochSecond();
        if (attributes.isDirectory()) {
            tar.add(name + "/", TarWriter.DIRECTORY, mode, uid, gid, 0, mtime, null, null);
        } else if (attributes.isSymbolicLink()) {
            String target = Files.readSymbolicLink(file).toString();
            tar.add(name, TarWriter.SYMLINK, mode, uid, gid, 0, mtime, target, null);
        } else if (attributes.isRegularFile()) {
            try (InputStream content = Files.newInputStream(file, follow)) {
                tar.add(name, TarWriter.REGULAR, mode, uid, gid, attributes.size(), mtime, null, content);
            }
        }
    }

    /**
     * Unpacks the tar into directory {@code inside}, which must exist: directories, regular
     * files, symlinks and hard links, with their owners and modes. Member names are made
     * relative and ".." in them is refused; other member types (devices, fifos) are skipped.
     */
    public static void extract(Path root, String inside, InputStream tar) throws IOException {
        try (RootDirectory rootDirectory = RootDirectory.open(root.toString())) {
            // The API's error for a PUT onto a file.
            if (!rootDirectory.isDirectory(inside)) {
                throw new IllegalArgumentException("extraction point is not a directory: " + inside);
            }
            TarReader reader = new TarReader(tar);
            for (TarEntry entry = reader.next(); entry != null; entry = reader.next()) {
                String name = clean(entry.name());
                if (name.isEmpty()) {
                    continue;
                }
                String target = inside.endsWith("/") ? inside + name : inside + "/" + name;
                switch (entry.type()) {
                    case DIRECTORY -> rootDirectory.makeDirectories(target, entry.mode() & MODE_BITS);
                    case REGULAR -> writeFile(rootDirectory, target, reader.content());
                    case SYMLINK -> {
                        removeIfThere(rootDirectory, target);
                        rootDirectory.makeSymlink(entry.linkName(), target);
                    }
                    case HARD_LINK -> {
                        // A hard link names an earlier member of the same archive.
                        String existing = inside + "/" + clean(entry.linkName());
                        removeIfThere(rootDirectory, target);
                        try (OwnedFd from = rootDirectory.resolve(parentOf(existing));
                                OwnedFd to = rootDirectory.resolve(parentOf(target))) {
                            PathAt.link(from, nameOf(existing), to, nameOf(target));
                        }
                    }
                    default -> {
                        continue;
                    }
                }
                // A symlink's own owner and mode do not matter (symlink(7)), and setting them
                // through its path would change its target's.
                if (entry.type() != TarEntry.Type.SYMLINK) {
                    try (OwnedFd file = rootDirectory.resolve(target)) {
                        Path path = Path.of(RootDirectory.procPath(file));
                        Files.setAttribute(path, "unix:uid", (int) entry.uid());
                        Files.setAttribute(path, "unix:gid", (int) entry.gid());
                        Files.setAttribute(path, "unix:mode", entry.mode() & MODE_BITS);
                    }
                }
            }
        }
    }

    /** Writes a regular file inside the root, replacing a file but never a directory. */
    private static void writeFile(RootDirectory root, String target, InputStream content) throws IOException {
        if (root.isDirectory(target)) {
            throw new IllegalArgumentException("cannot overwrite directory " + target + " with a file");
        }
        root.makeDirectories(parentOf(target), DIRECTORY_MODE);
        root.makeFile(target);
        try (OwnedFd file = root.resolve(target);
                OutputStream out = Files.newOutputStream(
                        Path.of(RootDirectory.procPath(file)),
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            content.transferTo(out);
        }
    }

    /** Unlinks what is at {@code target}, not following a final symlink, if anything is. */
    private static void removeIfThere(RootDirectory root, String target) {
        if (root.statWithoutFollowing(target) == null) {
            return;
        }
        try (OwnedFd parent = root.resolve(parentOf(target))) {
            PathAt.unlink(parent, nameOf(target), false);
        }
    }

    /** A member name made relative ("./a/", "/a" and "a" are all "a"); ".." is refused. */
    private static String clean(String name) {
        String cleaned = name.replaceFirst("^(\\./|/)+", "");
        while (cleaned.endsWith("/")) {
            cleaned = cleaned.substring(0, cleaned.length() - 1);
        }
        for (String component : cleaned.split("/")) {
            if (component.equals("..")) {
                throw new IllegalArgumentException("tar member " + name + ": .. is not allowed");
            }
        }
        return cleaned.equals(".") ? "" : cleaned;
    }

    /** The rwx bits as a number: PosixFilePermission's order is owner read (0400) to others execute (01). */
    private static long permissions(Set<PosixFilePermission> permissions) {
        long mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= 1L << (8 - permission.ordinal());
        }
        return mode;
    }

    private static String parentOf(String inside) {
        String trimmed = withoutTrailingSlash(inside);
        int slash = trimmed.lastIndexOf('/');
        return slash <= 0 ? "/" : trimmed.substring(0, slash);
    }

    private static String nameOf(String inside) {
        String trimmed = withoutTrailingSlash(inside);
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static String withoutTrailingSlash(String inside) {
        return inside.length() > 1 && inside.endsWith("/") ? inside.substring(0, inside.length() - 1) : inside;
    }

    /** docker's container path stat: Mode in Go's os.FileMode bits, Mtime RFC 3339. */
    public record PathStat(String name, long size, long mode, String mtime, String linkTarget) {}
}
