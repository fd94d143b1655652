package dev.canal.images.layer;

import dev.canal.images.tar.TarWriter;
import dev.canal.runtime.sys.ExtendedAttributes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A container's changes as a layer tar: the inverse of {@link LayerUnpacker}. An overlay's upper
 * directory holds exactly what the container changed (Documentation/filesystems/overlayfs.rst,
 * "Changes to underlying filesystems"), in overlayfs's own notation, which becomes the image
 * spec's (layer.md, "Whiteouts"):
 * <ul>
 *   <li>a character device 0/0 is a deleted file or directory: the member {@code .wh.NAME};
 *   <li>a directory with {@code trusted.overlay.opaque=y} replaced the lower one whole: the
 *       directory, then the member {@code .wh..wh..opq} in it;
 *   <li>everything else is itself, with its owner, mode and modification time; files linked
 *       several times inside the upper directory are one file and hard links to it.
 * </ul>
 * Members come in sorted order, so the same changes give the same tar, whose digest is then
 * the layer's diffID. Sockets, fifos and other devices are left out, as {@code docker cp} does.
 * This reads the upper directory of a stopped container (or a frozen one): a file that changes
 * size while it is read fails the write.
 */
public final class LayerDiff {

    private static final int MODE_BITS = 07777;

    /** S_IFMT and S_IFCHR of inode(7). */
    private static final int FILE_TYPE = 0170000;

    private static final int CHARACTER_DEVICE = 0020000;

    private final Path upper;
    private final TarWriter tar;
    private final Map<Object, String> linkedFiles = new HashMap<>();

    private LayerDiff(Path upper, OutputStream out) {
        this.upper = upper;
        this.tar = new TarWriter(out);
    }

    /** Writes the layer tar of the overlay upper directory {@code upper} to {@code out}. */
    public static void write(Path upper, OutputStream out) throws IOException {
        var diff = new LayerDiff(upper, out);
        diff.directoryContents(upper);
        diff.tar.finish();
    }

    private void directoryContents(Path directory) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(directory)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            member(child);
        }
    }

    private void member(Path file) throws IOException {
        String name = upper.relativize(file).toString();
        Map<String, Object> unix = Files.readAttributes(file, "unix:*", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) unix.get("mode");
        int mask = mode & MODE_BITS;
        long uid = ((Number) unix.get("uid")).longValue();
        long gid = ((Number) unix.get("gid")).longValue();
        long mtime = ((FileTime) unix.get("lastModifiedTime")).toInstant().getEpochSecond();
        if ((mode & FILE_TYPE) == CHARACTER_DEVICE && ((Number) unix.get("rdev")).longValue() == 0) {
            tar.add(whiteout(name), TarWriter.REGULAR, 0, 0, 0, 0, mtime, null, InputStream.nullInputStream());
        } else if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            tar.add(name + "/", TarWriter.DIRECTORY, mask, uid, gid, 0, mtime, null, null);
            if (isOpaque(file)) {
                tar.add(
                        name + "/" + LayerUnpacker.OPAQUE_MARKER,
                        TarWriter.REGULAR,
                        0,
                        0,
                        0,
                        0,
                        mtime,
                        null,
                        InputStream.nullInputStream());
            }
            directoryContents(file);
        } else if (Files.isSymbolicLink(file)) {
            tar.add(
                    name,
                    TarWriter.SYMLINK,
                    mask,
                    uid,
                    gid,
                    0,
                    mtime,
                    Files.readSymbolicLink(file).toString(),
                    null);
        } else if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            regularFile(file, name, unix, mask, uid, gid, mtime);
        }
    }

    private void regularFile(Path file, String name, Map<String, Object> unix, int mask, long uid, long gid, long mtime)
            throws IOException {
        if (((Number) unix.get("nlink")).intValue() > 1) {
            // The inode, as stat(2)'s st_dev and st_ino: its first name carries the data.
            Object inode = List.of(unix.get("dev"), unix.get("ino"));
            String first = linkedFiles.putIfAbsent(inode, name);
            if (first != null) {
                tar.add(name, TarWriter.HARD_LINK, mask, uid, gid, 0, mtime, first, null);
                return;
            }
        }
        try (InputStream content = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            tar.add(name, TarWriter.REGULAR, mask, uid, gid, (Long) unix.get("size"), mtime, null, content);
        }
    }

    /** {@code dir/name} becomes {@code dir/.wh.name}. */
    private static String whiteout(String name) {
        int slash = name.lastIndexOf('/');
        return name.substring(0, slash + 1) + LayerUnpacker.WHITEOUT_PREFIX + name.substring(slash + 1);
    }

    private static boolean isOpaque(Path directory) {
        byte[] value = ExtendedAttributes.get(directory.toString(), LayerUnpacker.OPAQUE_XATTR);
        return value != null && value.length > 0 && value[0] == 'y';
    }
}
