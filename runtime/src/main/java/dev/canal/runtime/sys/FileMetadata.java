package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import dev.canal.bindings.linux.timespec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Owner, permission bits and timestamps of a name in a directory held open, never following a
 * symlink that name is: what an archive says about each entry, applied to exactly that entry.
 */
public final class FileMetadata {

    private FileMetadata() {}

    /** fchownat(2) with {@code AT_SYMLINK_NOFOLLOW}: a symlink's own owner changes, not its target's. */
    public static void chown(OwnedFd directory, String name, int uid, int gid) {
        try (var arena = Arena.ofConfined()) {
            Syscall.call(
                    "fchownat",
                    name + " to " + uid + ":" + gid,
                    SyscallNumbers.FCHOWNAT,
                    directory.fd(),
                    CStrings.allocate(arena, name).address(),
                    uid,
                    gid,
                    linux_h.AT_SYMLINK_NOFOLLOW());
        }
    }

    /**
     * fchmodat(2), without flags: the system call has none (glibc's wrapper emulates
     * {@code AT_SYMLINK_NOFOLLOW}). Linux has no mode for a symlink, so call this only for other
     * kinds of files; after {@link #chown}, which clears the set-user-ID and set-group-ID bits.
     */
    public static void chmod(OwnedFd directory, String name, int mode) {
        try (var arena = Arena.ofConfined()) {
            Syscall.call(
                    "fchmodat",
                    name,
                    SyscallNumbers.FCHMODAT,
                    directory.fd(),
                    CStrings.allocate(arena, name).address(),
                    mode);
        }
    }

    /**
     * utimensat(2) with {@code AT_SYMLINK_NOFOLLOW}: access and modification time, each in
     * seconds and nanoseconds since the epoch.
     */
    public static void setTimes(
            OwnedFd directory,
            String name,
            long accessSeconds,
            long accessNanos,
            long modifySeconds,
            long modifyNanos) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment times = arena.allocate(timespec.layout(), 2);
            MemorySegment access = timespec.asSlice(times, 0);
            timespec.tv_sec(access, accessSeconds);
            timespec.tv_nsec(access, accessNanos);
            MemorySegment modify = timespec.asSlice(times, 1);
            timespec.tv_sec(modify, modifySeconds);
            timespec.tv_nsec(modify, modifyNanos);
            Syscall.call(
                    "utimensat",
                    name,
                    SyscallNumbers.UTIMENSAT,
                    directory.fd(),
                    CStrings.allocate(arena, name).address(),
                    times.address(),
                    linux_h.AT_SYMLINK_NOFOLLOW());
        }
    }
}
