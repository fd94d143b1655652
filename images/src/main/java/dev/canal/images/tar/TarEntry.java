package dev.canal.images.tar;

import java.util.Map;

/**
 * One member of a tar archive, with the PAX extended header already applied: long names,
 * large sizes and ids, nanosecond mtimes and extended attributes come from there.
 *
 * @param name        the path as stored, not yet checked (see the unpacker)
 * @param type        what kind of file it is
 * @param mode        permission bits, including set-user-ID, set-group-ID and sticky
 * @param linkName    the target of a symlink, or for a hard link the earlier member it names
 * @param xattrs      extended attributes (PAX {@code SCHILY.xattr.*}), values as raw bytes
 */
public record TarEntry(
        String name,
        Type type,
        int mode,
        long uid,
        long gid,
        long size,
        long mtimeSeconds,
        long mtimeNanos,
        String linkName,
        int deviceMajor,
        int deviceMinor,
        Map<String, byte[]> xattrs) {

    /** The member types of POSIX ustar (the typeflag field) that a layer may hold. */
    public enum Type {
        REGULAR,
        HARD_LINK,
        SYMLINK,
        CHARACTER_DEVICE,
        BLOCK_DEVICE,
        DIRECTORY,
        FIFO
    }
}
