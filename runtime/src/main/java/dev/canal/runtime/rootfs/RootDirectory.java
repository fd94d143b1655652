package dev.canal.runtime.rootfs;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.FileStatus;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.PathAt;
import dev.canal.runtime.sys.SyscallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A container's root filesystem, open as a directory, and paths resolved inside it.
 *
 * <p>An image or a bundle controls what is in its root filesystem, symlinks included. A mount
 * destination like {@code /etc/hostname} could be a symlink to {@code /../../etc/shadow} or
 * {@code /proc/1/root/etc}; resolved naively from the host, mounting onto it would overwrite a
 * host file. Every path here is resolved by openat2(2) with {@code RESOLVE_IN_ROOT} (absolute
 * symlinks and {@code ..} stay inside the root) and {@code RESOLVE_NO_MAGICLINKS} (no jumping
 * through {@code /proc/PID/root}-style links). A mount then targets the resolved descriptor as
 * {@code /proc/thread-self/fd/N}, so nothing can swap the path between the check and the mount.
 */
public final class RootDirectory implements AutoCloseable {

    private static final long RESOLVE = linux_h.RESOLVE_IN_ROOT() | linux_h.RESOLVE_NO_MAGICLINKS();

    private final String path;
    private final OwnedFd directory;

    private RootDirectory(String path, OwnedFd directory) {
        this.path = path;
        this.directory = directory;
    }

    /** Opens the root filesystem at {@code path} (a host path). */
    public static RootDirectory open(String path) {
        return new RootDirectory(path, OwnedFd.open(path, linux_h.O_PATH() | linux_h.O_DIRECTORY(), 0));
    }

    /** The host path of the root filesystem. */
    public String path() {
        return path;
    }

    /** An {@code O_PATH} descriptor for {@code inside} (a path in the container), which must exist. */
    public OwnedFd resolve(String inside) {
        return PathAt.openat2(directory, inside, linux_h.O_PATH(), RESOLVE);
    }

    /** Whether {@code inside} exists (following symlinks within the root). */
    public boolean exists(String inside) {
        try (var found = PathAt.openat2IfPresent(directory, inside, linux_h.O_PATH(), RESOLVE)) {
            return found != null;
        }
    }

    /** Whether {@code inside} is a directory. */
    public boolean isDirectory(String inside) {
        try (var ignored = PathAt.openat2(directory, inside, linux_h.O_PATH() | linux_h.O_DIRECTORY(), RESOLVE)) {
            return true;
        } catch (SyscallException e) {
            if (e.errno() == linux_h.ENOTDIR() || e.errno() == linux_h.ENOENT()) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Fails unless {@code inside} is a directory reached without any symlink
     * ({@code RESOLVE_NO_SYMLINKS}): for a path another process will use by name.
     */
    public void requireDirectoryWithoutSymlinks(String inside) {
        try (var checked = PathAt.openat2(
                directory, inside, linux_h.O_PATH() | linux_h.O_DIRECTORY(), RESOLVE | linux_h.RESOLVE_NO_SYMLINKS())) {
            checked.fd();
        } catch (SyscallException e) {
            throw new IllegalArgumentException(
                    inside + ": must be a directory reached without symlinks: " + e.getMessage(), e);
        }
    }

    /**
     * Creates {@code inside} and its missing parents as directories, like {@code mkdir -p}. A
     * component that is a symlink pointing nowhere (yet) is followed inside the root, and what
     * it points to is created, as runc's MkdirAllInRoot does.
     */
    public void makeDirectories(String inside, int mode) {
        makeDirectories(inside, mode, 0);
    }

    /** SYMLOOP_MAX of path_resolution(7): how many symlinks one lookup may follow. */
    private static final int MAX_SYMLINKS = 40;

    private void makeDirectories(String inside, int mode, int symlinksFollowed) {
        String[] names = inside.split("/");
        String parent = "/";
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            String child = parent.endsWith("/") ? parent + name : parent + "/" + name;
            if (!exists(child)) {
                try (var parentFd = resolve(parent)) {
                    Path link = Path.of(procPath(parentFd), name);
                    if (Files.isSymbolicLink(link)) {
                        requireFewerThanMaxSymlinks(inside, symlinksFollowed);
                        String rest = String.join("/", Arrays.copyOfRange(names, i + 1, names.length));
                        makeDirectories(linkTarget(parentFd, link) + "/" + rest, mode, symlinksFollowed + 1);
                        return;
                    }
                    PathAt.mkdir(parentFd, name, mode);
                }
            }
            parent = child;
        }
    }

    private static void requireFewerThanMaxSymlinks(String inside, int symlinksFollowed) {
        if (symlinksFollowed == MAX_SYMLINKS) {
            throw new IllegalArgumentException(inside + ": too many levels of symbolic links");
        }
    }

    /**
     * Where the symlink {@code link} in the resolved directory {@code parent} points, as a path
     * in the root: a relative target starts from where {@code parent} really is, which symlinks
     * on the way to it may have moved from where its path says.
     */
    private String linkTarget(OwnedFd parent, Path link) {
        try {
            String target = Files.readSymbolicLink(link).toString();
            // ".." at the root stays at the root, as RESOLVE_IN_ROOT resolves it.
            return Path.of(target.startsWith("/") ? target : insidePathOf(parent) + "/" + target)
                    .normalize()
                    .toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The path in the root of a directory resolved in it: its host path, less the root's. */
    private String insidePathOf(OwnedFd resolved) throws IOException {
        String hostPath = Files.readSymbolicLink(Path.of(procPath(resolved))).toString();
        String rootPath = Files.readSymbolicLink(Path.of(procPath(directory))).toString();
        return hostPath.equals(rootPath) ? "/" : hostPath.substring(rootPath.length());
    }

    /**
     * Creates an empty regular file at {@code inside} (and its parents), if missing: a bind
     * target. A dangling symlink there is followed inside the root and its target made, as
     * runc's securejoin and createIfNotExists do: the mount then lands on that file.
     */
    public void makeFile(String inside) {
        makeFile(inside, 0);
    }

    private void makeFile(String inside, int symlinksFollowed) {
        if (exists(inside)) {
            return;
        }
        makeDirectories(parentOf(inside), 0755);
        try (var parentFd = resolve(parentOf(inside))) {
            Path link = Path.of(procPath(parentFd), nameOf(inside));
            if (Files.isSymbolicLink(link)) {
                requireFewerThanMaxSymlinks(inside, symlinksFollowed);
                makeFile(linkTarget(parentFd, link), symlinksFollowed + 1);
                return;
            }
            PathAt.mknod(parentFd, nameOf(inside), linux_h.S_IFREG() | 0644, 0);
        }
    }

    /**
     * What the last name of {@code inside} is itself, a symlink not followed (lstat(2)), its
     * parents resolved in the root; null when there is nothing by that name.
     */
    public FileStatus statWithoutFollowing(String inside) {
        String clean = Path.of("/", inside).normalize().toString();
        try (var parentFd = PathAt.openat2IfPresent(directory, parentOf(clean), linux_h.O_PATH(), RESOLVE);
                var file = parentFd == null
                        ? null
                        : PathAt.openat2IfPresent(
                                parentFd, nameOf(clean), linux_h.O_PATH() | linux_h.O_NOFOLLOW(), RESOLVE)) {
            return file == null ? null : FileStatus.of(file);
        }
    }

    /** Creates a device node, FIFO or regular file (and its parents) at {@code inside}, replacing nothing. */
    public void makeNode(String inside, int mode, long device) {
        makeDirectories(parentOf(inside), 0755);
        try (var parentFd = resolve(parentOf(inside))) {
            PathAt.mknod(parentFd, nameOf(inside), mode, device);
        }
    }

    /** Creates a symlink at {@code inside} pointing at {@code target}, if nothing is there. */
    public void makeSymlink(String target, String inside) {
        try (var parentFd = resolve(parentOf(inside))) {
            PathAt.symlink(target, parentFd, nameOf(inside));
        } catch (SyscallException e) {
            if (e.errno() != linux_h.EEXIST()) {
                throw e;
            }
        }
    }

    /** The directory part of a path in the container: "/dev" of "/dev/null", "/" of "/x". */
    private static String parentOf(String inside) {
        int slash = inside.lastIndexOf('/');
        return slash <= 0 ? "/" : inside.substring(0, slash);
    }

    /** The last name of a path in the container: "null" of "/dev/null". */
    private static String nameOf(String inside) {
        return inside.substring(inside.lastIndexOf('/') + 1);
    }

    /**
     * The path through which mount(2) reaches a resolved descriptor: the kernel follows this
     * magic link to exactly the file the descriptor refers to.
     */
    public static String procPath(OwnedFd resolved) {
        return "/proc/thread-self/fd/" + resolved.fd();
    }

    @Override
    public void close() {
        directory.close();
    }
}
