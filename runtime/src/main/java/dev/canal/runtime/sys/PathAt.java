package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * File calls relative to a directory descriptor (the *at family): they resolve a path from a
 * directory already open, not from the caller's root and working directory, so a path in a
 * container's root filesystem can be resolved while the caller still lives on the host. The
 * calls that create, link and remove take a single name in the directory, so no symlink on the
 * way can lead elsewhere: what an archive unpacker needs to build a tree.
 *
 * <p>openat2(2) with {@code RESOLVE_IN_ROOT} resolves as if the directory were the root: an
 * absolute symlink or a {@code ..} in an image cannot lead out of it. This is the kernel's
 * answer to what runc's securejoin does in user space.
 */
public final class PathAt {

    // struct open_how (linux/openat2.h) is three __u64s, flags, mode and resolve, in that order
    // (checked against jextract's layout by WrittenOutLayoutsTest), copied in from a long[]:
    // jextract's struct class makes a VarHandle per field when initialised, and a layout's own
    // VarHandle is made on the first write, method handle classes spun in every JVM
    // (docs/start-time.md).
    static final int OPEN_HOW_FIELDS = 3;

    private PathAt() {}

    /**
     * openat2(2): opens {@code path} relative to {@code directory} with {@code O_CLOEXEC} added,
     * under the {@code RESOLVE_*} restrictions in {@code resolve}.
     */
    public static OwnedFd openat2(OwnedFd directory, String path, long flags, long resolve) {
        return openat2(directory, path, flags, 0, resolve);
    }

    /**
     * openat2(2) with {@code O_CREAT} and the new file's permission bits {@code mode}, which
     * travel in {@code open_how.mode} (the kernel refuses a mode without O_CREAT or O_TMPFILE).
     */
    public static OwnedFd create(OwnedFd directory, String name, long flags, int mode, long resolve) {
        return openat2(directory, name, flags | linux_h.O_CREAT(), mode, resolve);
    }

    /**
     * {@link #openat2(OwnedFd, String, long, long)}, or null if {@code path} does not exist
     * (ENOENT): for a lookup that often fails, such as the search of PATH, without the cost of
     * an exception (its message and stack trace) for each miss.
     */
    public static OwnedFd openat2IfPresent(OwnedFd directory, String path, long flags, long resolve) {
        long fd = attemptOpenat2(directory, path, flags, 0, resolve);
        return fd == -linux_h.ENOENT() ? null : OwnedFd.adopt((int) Syscall.checked(fd, "openat2", path));
    }

    private static OwnedFd openat2(OwnedFd directory, String path, long flags, int mode, long resolve) {
        return OwnedFd.adopt(
                (int) Syscall.checked(attemptOpenat2(directory, path, flags, mode, resolve), "openat2", path));
    }

    /** openat2(2)'s result: the descriptor, or minus the errno. */
    private static long attemptOpenat2(OwnedFd directory, String path, long flags, int mode, long resolve) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment how = arena.allocate((long) OPEN_HOW_FIELDS * Long.BYTES, Long.BYTES)
                    .copyFrom(MemorySegment.ofArray(new long[] {flags | linux_h.O_CLOEXEC(), mode, resolve}));
            return Syscall.attempt(
                    linux_h.SYS_openat2(),
                    directory.fd(),
                    CStrings.allocate(arena, path).address(),
                    how.address(),
                    how.byteSize());
        }
    }

    /** mkdirat(2). */
    public static void mkdir(OwnedFd directory, String name, int mode) {
        try (var arena = Arena.ofConfined()) {
            Syscall.call(
                    "mkdirat",
                    name,
                    SyscallNumbers.MKDIRAT,
                    directory.fd(),
                    CStrings.allocate(arena, name).address(),
                    mode);
        }
    }

    /**
     * mknodat(2): a device node ({@code S_IFCHR}/{@code S_IFBLK}), FIFO or empty regular file.
     * {@code device} is glibc's dev_t ({@link #deviceNumber}); the kernel takes the 32-bit form
     * ({@code new_encode_dev}), which is the same number for a major below 4096 and a minor below
     * 2^20, and glibc refuses any other with EINVAL, as this does.
     */
    public static void mknod(OwnedFd directory, String name, int mode, long device) {
        if (device != (device & 0xffffffffL)) {
            throw Errno.failure("mknodat", name, linux_h.EINVAL());
        }
        try (var arena = Arena.ofConfined()) {
            Syscall.call(
                    "mknodat",
                    name,
                    SyscallNumbers.MKNODAT,
                    directory.fd(),
                    CStrings.allocate(arena, name).address(),
                    mode,
                    device);
        }
    }

    /** symlinkat(2): {@code name} in {@code directory} pointing at {@code target}. */
    public static void symlink(String target, OwnedFd directory, String name) {
        try (var arena = Arena.ofConfined()) {
            Syscall.call(
                    "symlinkat",
                    name + " -> " + target,
                    SyscallNumbers.SYMLINKAT,
                    CStrings.allocate(arena, target).address(),
                    directory.fd(),
                    CStrings.allocate(arena, name).address());
        }
    }

    /**
     * linkat(2) without {@code AT_SYMLINK_FOLLOW}: a new name {@code toName} in {@code toDirectory}
     * for the very file {@code fromName} in {@code fromDirectory} is (a symlink itself, if it is one).
     */
    public static void link(OwnedFd fromDirectory, String fromName, OwnedFd toDirectory, String toName) {
        try (var arena = Arena.ofConfined()) {
            Syscall.call(
                    "linkat",
                    toName + " => " + fromName,
                    SyscallNumbers.LINKAT,
                    fromDirectory.fd(),
                    CStrings.allocate(arena, fromName).address(),
                    toDirectory.fd(),
                    CStrings.allocate(arena, toName).address(),
                    0);
        }
    }

    /** unlinkat(2): removes a name; {@code directory} set means an empty directory ({@code AT_REMOVEDIR}). */
    public static void unlink(OwnedFd parent, String name, boolean directory) {
        try (var arena = Arena.ofConfined()) {
            Syscall.call(
                    "unlinkat",
                    name,
                    SyscallNumbers.UNLINKAT,
                    parent.fd(),
                    CStrings.allocate(arena, name).address(),
                    directory ? linux_h.AT_REMOVEDIR() : 0);
        }
    }

    /** fchownat(2) with AT_EMPTY_PATH: change the owner of what {@code file} refers to. */
    public static void chown(OwnedFd file, int uid, int gid) {
        try (var arena = Arena.ofConfined()) {
            Syscall.call(
                    "fchownat",
                    file + " to " + uid + ":" + gid,
                    SyscallNumbers.FCHOWNAT,
                    file.fd(),
                    CStrings.allocate(arena, "").address(),
                    uid,
                    gid,
                    linux_h.AT_EMPTY_PATH());
        }
    }

    /**
     * chmod(2) of what {@code file} refers to, through its /proc/thread-self/fd link: fchmod(2)
     * refuses an {@code O_PATH} descriptor, and following the magic link reaches exactly the
     * file the descriptor holds.
     */
    public static void chmod(OwnedFd file, int mode) {
        try (var arena = Arena.ofConfined()) {
            String path = "/proc/thread-self/fd/" + file.fd();
            Syscall.call(
                    "chmod",
                    path,
                    SyscallNumbers.CHMOD,
                    CStrings.allocate(arena, path).address(),
                    mode);
        }
    }

    /**
     * The device number mknod(2) takes, from major and minor: glibc's makedev(3) is a macro and
     * an inline function, so jextract cannot offer it. The layout is the kernel's new_encode_dev.
     */
    public static long deviceNumber(long major, long minor) {
        return ((major & 0xfffff000L) << 32)
                | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12)
                | (minor & 0xffL);
    }
}
