package dev.canal.images.rootfs;

import dev.canal.bindings.linux.linux_h;
import dev.canal.images.Digest;
import dev.canal.images.Image;
import dev.canal.images.ImageException;
import dev.canal.images.ImageLibrary;
import dev.canal.images.store.FileTrees;
import dev.canal.images.store.StoreLock;
import dev.canal.runtime.sys.Mounts;
import dev.canal.runtime.sys.SyscallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A container's root filesystem: an overlay of its image's shared, read-only layers with a
 * writable upper directory of its own. Everything the container writes lands in
 * {@code <root>/containers/<id>/upper}; the layers never change, so any number of containers
 * share them. Removing the container removes its upper and work directories and nothing else.
 *
 * <pre>
 * &lt;root&gt;/containers/&lt;id&gt;/layers   the diffIDs it uses (so prune keeps them)
 *                          upper/   its changes, whiteouts for deletions
 *                          work/    overlayfs's scratch space, same filesystem as upper
 *                          merged/  the mounted root filesystem
 * </pre>
 */
public final class ContainerLayers {

    /** Container ids as the runtime accepts them; never a path. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    /** What overlayfs leaves in the work directory of a volatile mount (overlayfs.rst, "Volatile mount"). */
    private static final String VOLATILE_MARK = "work/incompat/volatile";

    /** The lower directory of a container whose image has no layers. */
    private static final String EMPTY_LAYER = "empty";

    private final ImageLibrary library;

    public ContainerLayers(ImageLibrary library) {
        this.library = library;
    }

    /** The mounted root filesystem of container {@code id} (whether mounted or not). */
    public Path rootfs(String id) {
        return directory(id).resolve("merged");
    }

    /** Container {@code id}'s upper directory: everything it changed, in overlayfs's notation. */
    public Path upper(String id) {
        return directory(id).resolve("upper");
    }

    /**
     * Creates container {@code id}'s upper and work directories and mounts its overlay root
     * filesystem; returns the root filesystem's path. Fails if the container already has one.
     * An upper directory the container's removal throws away after one run is best
     * {@link OverlayMount.Upper#VOLATILE}.
     */
    public Path mount(Image image, String id, OverlayMount.Upper kind) {
        return mount(image, id, kind, null);
    }

    /** {@link #mount(Image, String, OverlayMount.Upper)} with a given {@link OverlayMount.Method}, or null to choose. */
    Path mount(Image image, String id, OverlayMount.Upper kind, OverlayMount.Method method) {
        Path directory = directory(id);
        try (var lock = StoreLock.acquire(library.content().root())) {
            if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
                throw new ImageException("container " + id + " already has a root filesystem at " + directory);
            }
            for (Digest diffId : image.diffIds()) {
                if (!library.layers().has(diffId)) {
                    throw new ImageException("image " + image.name() + ": layer " + diffId
                            + " is not unpacked (pruned?); register the image again");
                }
            }
            try {
                library.users().record(id, image.diffIds());
                Path upper = Files.createDirectory(directory.resolve("upper"));
                Path work = Files.createDirectory(directory.resolve("work"));
                Path merged = Files.createDirectory(directory.resolve("merged"));
                mountOverlay(image.diffIds(), upper, kind, work, merged, method);
                return merged;
            } catch (IOException e) {
                FileTrees.delete(directory);
                throw new UncheckedIOException(
                        "cannot create the root filesystem of container " + id + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                FileTrees.delete(directory);
                throw e;
            }
        }
    }

    /**
     * Mounts again the root filesystem of container {@code id}, made by {@link #mount} and since
     * unmounted (the container stopped, or the machine restarted): the same layers over the same
     * upper directory, so what the container wrote is there. Nothing happens if it is mounted.
     * A volatile upper stays volatile: its mark, which makes overlayfs refuse it, is removed
     * first, as its changes are thrown away with the container in any case.
     */
    public Path remount(String id) {
        Path directory = directory(id);
        Path merged = rootfs(id);
        try (var lock = StoreLock.acquire(library.content().root())) {
            if (!isMountPoint(merged)) {
                Path work = directory.resolve("work");
                Path volatileMark = work.resolve(VOLATILE_MARK);
                OverlayMount.Upper kind = OverlayMount.Upper.KEPT;
                if (Files.exists(volatileMark, LinkOption.NOFOLLOW_LINKS)) {
                    FileTrees.delete(volatileMark);
                    kind = OverlayMount.Upper.VOLATILE;
                }
                mountOverlay(library.users().layersOf(id), directory.resolve("upper"), kind, work, merged, null);
            }
            return merged;
        }
    }

    /** Whether container {@code id}'s root filesystem is mounted now. */
    public boolean isMounted(String id) {
        return isMountPoint(rootfs(id));
    }

    /**
     * Mounts {@code diffIds} (lowest first) under {@code upper}; a null method lets OverlayMount
     * choose. An image of no layers (a build's {@code FROM scratch}) gets an empty directory as its
     * one lower directory: overlayfs needs at least one.
     */
    private void mountOverlay(
            List<Digest> diffIds,
            Path upper,
            OverlayMount.Upper kind,
            Path work,
            Path merged,
            OverlayMount.Method method) {
        // overlayfs lists lower directories topmost first; an image lists its layers lowest first.
        List<String> topFirst = diffIds.isEmpty()
                ? List.of(emptyLayer())
                : diffIds.reversed().stream().map(library.layers()::shortName).toList();
        if (method == null) {
            OverlayMount.mount(library.content().root(), topFirst, upper, kind, work, merged);
        } else {
            OverlayMount.mount(method, library.content().root(), topFirst, upper, kind, work, merged);
        }
    }

    /** {@code empty}, an empty directory in the store, made if missing; relative to the store as short names are. */
    private String emptyLayer() {
        Path empty = library.content().root().resolve(EMPTY_LAYER);
        try {
            Files.createDirectories(empty);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + empty + ": " + e.getMessage(), e);
        }
        return EMPTY_LAYER;
    }

    /** Unmounts container {@code id}'s root filesystem; nothing happens if it is not mounted. */
    public void unmount(String id) {
        Path merged = rootfs(id);
        if (!isMountPoint(merged)) {
            return;
        }
        try {
            Mounts.unmount(merged.toString(), 0);
        } catch (SyscallException e) {
            if (e.errno() != linux_h.EBUSY()) {
                throw e;
            }
            // Still in use (a process has its cwd there): detach now, the kernel frees it when unused.
            Mounts.unmount(merged.toString(), linux_h.MNT_DETACH());
        }
    }

    /**
     * Unmounts and deletes container {@code id}'s upper, work and root directories, and its claim
     * on the layers. The shared layers stay. Nothing happens if the container has none.
     */
    public void remove(String id) {
        unmount(id);
        Path directory = directory(id);
        if (isMountPoint(rootfs(id))) {
            throw new ImageException(
                    "container " + id + ": " + rootfs(id) + " is still mounted; not deleting through it");
        }
        try (var lock = StoreLock.acquire(library.content().root())) {
            FileTrees.delete(directory);
        }
    }

    private Path directory(String id) {
        if (!ID.matcher(id).matches()) {
            throw new ImageException("container id '" + id
                    + "' must be letters, digits, '_', '.' or '-' (at most 128), not starting with a separator");
        }
        return library.users().containerDirectory(id);
    }

    /** A mount point sits on another device than its parent directory (stat(2) st_dev). */
    private static boolean isMountPoint(Path path) {
        try {
            if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            Object device = Files.getAttribute(path, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            Object parentDevice = Files.getAttribute(path.getParent(), "unix:dev", LinkOption.NOFOLLOW_LINKS);
            return !device.equals(parentDevice);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + path + ": " + e.getMessage(), e);
        }
    }
}
