package dev.canal.images.layer;

import dev.canal.bindings.linux.linux_h;
import dev.canal.images.ImageException;
import dev.canal.images.tar.TarEntry;
import dev.canal.images.tar.TarReader;
import dev.canal.runtime.sys.ExtendedAttributes;
import dev.canal.runtime.sys.FileMetadata;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.PathAt;
import dev.canal.runtime.sys.SyscallException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes a layer tar into an empty directory, member by member, through directory descriptors:
 * every parent is opened with openat2(2) {@code RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS}, and
 * every file is created by name in that descriptor. A member that would escape the directory
 * ({@code ..}, an absolute path, a path through a symlink, a hard link to something outside) is
 * refused with an error naming it; the caller then deletes the whole directory.
 *
 * <p>Layer whiteouts (image-spec layer.md, "Whiteouts") become what overlayfs reads
 * (Documentation/filesystems/overlayfs.rst, "whiteouts and opaque directories"): {@code .wh.NAME}
 * a character device 0/0 named NAME, {@code .wh..wh..opq} the attribute
 * {@code trusted.overlay.opaque=y} on its directory. Other {@code .wh..wh.} names are aufs
 * bookkeeping and are skipped with what is below them; a whiteout that names no file
 * ({@code .wh.}, {@code .wh..}, {@code .wh...}) or that has entries below it is refused.
 *
 * <p>overlayfs's own attributes in a layer ({@code trusted.overlay.*}, and {@code user.overlay.*},
 * which an overlay mounted with {@code userxattr} reads instead) are dropped: they would steer
 * the overlay's lookups ({@code redirect}, {@code metacopy}, {@code origin}, {@code opaque})
 * from inside an image, which only whiteouts may do.
 */
final class LayerUnpacker {

    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE_MARKER = ".wh..wh..opq";
    static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    private static final String AUFS_PREFIX = WHITEOUT_PREFIX + WHITEOUT_PREFIX;
    private static final List<String> OVERLAY_XATTR_PREFIXES = List.of("trusted.overlay.", "user.overlay.");

    private static final long RESOLVE =
            linux_h.RESOLVE_BENEATH() | linux_h.RESOLVE_NO_SYMLINKS() | linux_h.RESOLVE_NO_MAGICLINKS();
    // No O_NOFOLLOW: with O_PATH it would open a symlink itself instead of failing with ELOOP.
    private static final int DIRECTORY_PATH = linux_h.O_PATH() | linux_h.O_DIRECTORY();

    /** Big enough that a large file takes few write(2) calls, small enough to stay in the CPU's caches. */
    private static final int COPY_BUFFER = 1 << 17;

    private final OwnedFd root;
    private final String layer;
    private final List<DirectoryTimes> directoryTimes = new ArrayList<>();
    private final byte[] buffer = new byte[COPY_BUFFER];
    private final MemorySegment nativeBuffer;
    private final OpenDirectories parents;

    private record DirectoryTimes(EntryPath path, long seconds, long nanos) {}

    private LayerUnpacker(OwnedFd root, String layer, Arena arena, OpenDirectories parents) {
        this.root = root;
        this.layer = layer;
        this.nativeBuffer = arena.allocate(COPY_BUFFER);
        this.parents = parents;
    }

    /** Unpacks every member of {@code tar} into {@code directory}; {@code layer} names it in errors. */
    static void unpack(TarReader tar, Path directory, String layer) throws IOException {
        try (var root = OwnedFd.open(directory.toString(), DIRECTORY_PATH, 0);
                var arena = Arena.ofConfined();
                var parents = new OpenDirectories()) {
            var unpacker = new LayerUnpacker(root, layer, arena, parents);
            for (TarEntry entry = tar.next(); entry != null; entry = tar.next()) {
                unpacker.write(entry, tar.content());
            }
            unpacker.setDirectoryTimes();
        }
    }

    private void write(TarEntry entry, InputStream content) throws IOException {
        EntryPath path = EntryPath.parse(entry.name(), layer + ": tar entry");
        if (skippedBelowWhiteout(path, entry)) {
            return;
        }
        try {
            OwnedFd parent = parents.get(path.parent(), () -> openDirectory(path.parent(), entry.name()));
            if (path.name().equals(OPAQUE_MARKER)) {
                ExtendedAttributes.set(parent, "", OPAQUE_XATTR, "y".getBytes(StandardCharsets.US_ASCII));
            } else if (path.name().startsWith(AUFS_PREFIX)) {
                // Other .wh..wh.* names are aufs bookkeeping (.wh..wh.plnk, .wh..wh.aufs), meaningless here.
            } else if (path.name().startsWith(WHITEOUT_PREFIX)) {
                String hidden = hiddenBy(path.name(), entry);
                replacing(parent, hidden, entry, () -> PathAt.mknod(parent, hidden, linux_h.S_IFCHR(), 0));
            } else if (path.name().isEmpty()) {
                requireDirectory(entry);
                applyMetadata(parent, ".", entry);
                directoryTimes.add(new DirectoryTimes(path, entry.mtimeSeconds(), entry.mtimeNanos()));
            } else {
                create(parent, path, entry, content);
            }
        } catch (SyscallException e) {
            throw new ImageException(layer + ": tar entry '" + entry.name() + "': " + e.getMessage(), e);
        }
    }

    /**
     * What the whiteout {@code name} hides: the name after {@code .wh.}, which must name a file
     * in the same directory; a whiteout of nothing, {@code .} or {@code ..} would otherwise have
     * unpacking treat the directory itself as the file to hide.
     */
    private String hiddenBy(String name, TarEntry entry) {
        String hidden = name.substring(WHITEOUT_PREFIX.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw new ImageException(layer + ": tar entry '" + entry.name() + "' is a whiteout of '" + hidden
                    + "', which names no file: a whiteout is '.wh.' followed by the name of the file it hides");
        }
        return hidden;
    }

    /**
     * Whether the entry lies below an aufs bookkeeping directory ({@code .wh..wh.plnk/...}), to
     * be skipped with it. Below any other whiteout nothing may lie: a name beginning with
     * {@code .wh.} is a whiteout, never a directory (layer.md: no file or directory can have such
     * a name), so such an entry is refused.
     */
    private boolean skippedBelowWhiteout(EntryPath path, TarEntry entry) {
        for (int i = 0; i < path.parent().size(); i++) {
            String component = path.parent().get(i);
            if (component.startsWith(AUFS_PREFIX)) {
                return true;
            }
            if (component.startsWith(WHITEOUT_PREFIX)) {
                throw new ImageException(layer + ": tar entry '" + entry.name() + "' lies below the whiteout '"
                        + String.join("/", path.parent().subList(0, i + 1))
                        + "'; a name beginning with '.wh.' is a whiteout, not a directory");
            }
        }
        return false;
    }

    private void create(OwnedFd parent, EntryPath path, TarEntry entry, InputStream content) throws IOException {
        String name = path.name();
        switch (entry.type()) {
            case DIRECTORY -> {
                makeDirectory(parent, name, entry);
                directoryTimes.add(new DirectoryTimes(path, entry.mtimeSeconds(), entry.mtimeNanos()));
                applyMetadata(parent, name, entry);
                return;
            }
            case REGULAR -> replacing(parent, name, entry, () -> writeFile(parent, name, content));
            case SYMLINK -> replacing(parent, name, entry, () -> PathAt.symlink(entry.linkName(), parent, name));
            case HARD_LINK -> {
                linkTo(parent, name, entry);
                return;
            }
            case CHARACTER_DEVICE, BLOCK_DEVICE, FIFO ->
                replacing(
                        parent,
                        name,
                        entry,
                        () -> PathAt.mknod(
                                parent,
                                name,
                                fileType(entry.type()) | entry.mode(),
                                PathAt.deviceNumber(entry.deviceMajor(), entry.deviceMinor())));
        }
        applyMetadata(parent, name, entry);
        FileMetadata.setTimes(
                parent, name, entry.mtimeSeconds(), entry.mtimeNanos(), entry.mtimeSeconds(), entry.mtimeNanos());
    }

    /** A hard link names a member earlier in this same layer, resolved with the same protection. */
    private void linkTo(OwnedFd parent, String name, TarEntry entry) {
        EntryPath target = EntryPath.parse(entry.linkName(), layer + ": hard link target of '" + entry.name() + "'");
        if (target.name().isEmpty()) {
            throw new ImageException(
                    layer + ": tar entry '" + entry.name() + "' is a hard link to the layer's top directory");
        }
        try (OwnedFd targetParent = openExistingDirectory(target.parent(), entry.name())) {
            replacing(parent, name, entry, () -> PathAt.link(targetParent, target.name(), parent, name));
        } catch (SyscallException e) {
            if (e.errno() == linux_h.ENOENT()) {
                throw new ImageException(layer + ": tar entry '" + entry.name() + "' is a hard link to '"
                        + entry.linkName() + "', which is not in this layer");
            }
            throw e;
        }
    }

    /** Copies the member's data through the two reused buffers: read into the heap, written from native memory. */
    private void writeFile(OwnedFd parent, String name, InputStream content) {
        long flags = linux_h.O_WRONLY() | linux_h.O_EXCL() | linux_h.O_NOFOLLOW();
        try (OwnedFd file = PathAt.create(parent, name, flags, 0600, RESOLVE)) {
            for (int count = content.read(buffer); count >= 0; count = content.read(buffer)) {
                MemorySegment.copy(buffer, 0, nativeBuffer, ValueLayout.JAVA_BYTE, 0, count);
                file.writeFully(nativeBuffer.asSlice(0, count));
            }
        } catch (IOException e) {
            throw new ImageException(layer + ": cannot read the data of '" + name + "': " + e.getMessage(), e);
        }
    }

    /** Runs {@code creation}; if the name exists (a later member replaces an earlier one), removes it and retries. */
    private void replacing(OwnedFd parent, String name, TarEntry entry, Runnable creation) {
        try {
            creation.run();
        } catch (SyscallException e) {
            if (e.errno() != linux_h.EEXIST()) {
                throw e;
            }
            remove(parent, name, entry);
            creation.run();
        }
    }

    private void remove(OwnedFd parent, String name, TarEntry entry) {
        parents.forgetAll();
        try {
            PathAt.unlink(parent, name, false);
        } catch (SyscallException e) {
            if (e.errno() != linux_h.EISDIR()) {
                throw e;
            }
            try {
                PathAt.unlink(parent, name, true);
            } catch (SyscallException notEmpty) {
                throw new ImageException(
                        layer + ": tar entry '" + entry.name() + "' would replace a directory that is not empty");
            }
        }
    }

    private void makeDirectory(OwnedFd parent, String name, TarEntry entry) {
        try {
            PathAt.mkdir(parent, name, 0700);
        } catch (SyscallException e) {
            if (e.errno() != linux_h.EEXIST()) {
                throw e;
            }
            try (OwnedFd existing = PathAt.openat2(parent, name, DIRECTORY_PATH, RESOLVE)) {
                // Already a directory (made for an earlier member inside it): keep it and its contents.
            } catch (SyscallException notDirectory) {
                remove(parent, name, entry);
                PathAt.mkdir(parent, name, 0700);
            }
        }
    }

    /**
     * Owner first, then mode (chown(2) clears set-user-ID bits), then extended attributes, less
     * overlayfs's own.
     */
    private void applyMetadata(OwnedFd parent, String name, TarEntry entry) {
        FileMetadata.chown(parent, name, (int) entry.uid(), (int) entry.gid());
        if (entry.type() != TarEntry.Type.SYMLINK) {
            FileMetadata.chmod(parent, name, entry.mode());
        }
        entry.xattrs().forEach((attribute, value) -> {
            if (OVERLAY_XATTR_PREFIXES.stream().noneMatch(attribute::startsWith)) {
                ExtendedAttributes.set(parent, name.equals(".") ? "" : name, attribute, value);
            }
        });
    }

    /** Directory times last, deepest first: creating anything inside a directory changes its mtime. */
    private void setDirectoryTimes() {
        directoryTimes.sort(Comparator.comparingInt(
                        (DirectoryTimes times) -> times.path().parent().size())
                .reversed());
        for (DirectoryTimes times : directoryTimes) {
            String name = times.path().name().isEmpty() ? "." : times.path().name();
            try (OwnedFd parent =
                    openExistingDirectory(times.path().parent(), times.path().relative())) {
                FileMetadata.setTimes(parent, name, times.seconds(), times.nanos(), times.seconds(), times.nanos());
            }
        }
    }

    /** Opens the member's parent directory, creating missing ones (tars may omit directory members). */
    private OwnedFd openDirectory(List<String> components, String entryName) {
        return walk(components, entryName, true);
    }

    private OwnedFd openExistingDirectory(List<String> components, String entryName) {
        return walk(components, entryName, false);
    }

    private OwnedFd walk(List<String> components, String entryName, boolean create) {
        OwnedFd current = PathAt.openat2(root, ".", DIRECTORY_PATH, RESOLVE);
        for (int i = 0; i < components.size(); i++) {
            String component = components.get(i);
            try (OwnedFd directory = current) {
                current = openOrCreate(directory, component, create);
            } catch (SyscallException e) {
                String sofar = String.join("/", components.subList(0, i + 1));
                if (e.errno() == linux_h.ELOOP()) {
                    throw new ImageException(layer + ": tar entry '" + entryName + "' goes through the symlink '"
                            + sofar + "'; writing through symlinks is refused");
                }
                if (e.errno() == linux_h.ENOTDIR()) {
                    throw new ImageException(
                            layer + ": tar entry '" + entryName + "': '" + sofar + "' is not a directory");
                }
                throw e;
            }
        }
        return current;
    }

    private static OwnedFd openOrCreate(OwnedFd directory, String component, boolean create) {
        try {
            return PathAt.openat2(directory, component, DIRECTORY_PATH, RESOLVE);
        } catch (SyscallException e) {
            if (!create || e.errno() != linux_h.ENOENT()) {
                throw e;
            }
            PathAt.mkdir(directory, component, 0755);
            return PathAt.openat2(directory, component, DIRECTORY_PATH, RESOLVE);
        }
    }

    private void requireDirectory(TarEntry entry) {
        if (entry.type() != TarEntry.Type.DIRECTORY) {
            throw new ImageException(layer + ": tar entry '" + entry.name()
                    + "' names the layer's top directory but is not a directory");
        }
    }

    private static int fileType(TarEntry.Type type) {
        return switch (type) {
            case CHARACTER_DEVICE -> linux_h.S_IFCHR();
            case BLOCK_DEVICE -> linux_h.S_IFBLK();
            case FIFO -> linux_h.S_IFIFO();
            default -> throw new IllegalArgumentException("not a device or FIFO: " + type);
        };
    }
}
