package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import dev.canal.bindings.linux.mount_attr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Mounting, unmounting and swapping the root: the classic mount(2) API, pivot_root(2), and the
 * file-descriptor based mount API of Linux 5.2 (fsopen, fsconfig, fsmount, move_mount).
 *
 * <p>The new API builds a mount as an object first and attaches it last, and it can configure
 * a filesystem in ways mount(2)'s single option string cannot: procfs's {@code pidns} (Linux
 * 6.18) takes a namespace file descriptor, which is how a thread can mount {@code /proc} for a
 * pid namespace it is not in.
 */
public final class Mounts {

    private Mounts() {}

    /**
     * mount(2). {@code source}, {@code fstype} and {@code data} may be null (for a bind mount, a
     * propagation change or a remount). The error names the target and the filesystem type.
     */
    public static void mount(String source, String target, String fstype, long flags, String data) {
        try (var arena = Arena.ofConfined()) {
            Syscall.call(
                    "mount",
                    fstype == null ? target : target + ", " + fstype,
                    linux_h.SYS_mount(),
                    CStrings.allocateOrNull(arena, source).address(),
                    CStrings.allocate(arena, target).address(),
                    CStrings.allocateOrNull(arena, fstype).address(),
                    flags,
                    CStrings.allocateOrNull(arena, data).address());
        }
    }

    /** umount2(2), for example with {@code MNT_DETACH} to detach now and clean up when unused. */
    public static void unmount(String target, int flags) {
        try (var arena = Arena.ofConfined()) {
            Syscall.call(
                    "umount2",
                    target,
                    linux_h.SYS_umount2(),
                    CStrings.allocate(arena, target).address(),
                    flags);
        }
    }

    /**
     * pivot_root(2): make {@code newRoot} the root mount of the caller's mount namespace and put
     * the old root at {@code putOld} (which must be under {@code newRoot}), so it can then be
     * detached. Unlike chroot(2) this leaves no path back to the host's files. glibc has no
     * wrapper, hence the raw system call.
     */
    public static void pivotRoot(String newRoot, String putOld) {
        try (var arena = Arena.ofConfined()) {
            Syscall.call(
                    "pivot_root",
                    newRoot,
                    linux_h.SYS_pivot_root(),
                    CStrings.allocate(arena, newRoot).address(),
                    CStrings.allocate(arena, putOld).address());
        }
    }

    /** fsopen(2): a filesystem context for {@code fsType} ("tmpfs", "proc", "overlay"), to configure. */
    public static OwnedFd fsopen(String fsType) {
        try (var arena = Arena.ofConfined()) {
            return OwnedFd.adopt((int) Syscall.call(
                    "fsopen",
                    fsType,
                    linux_h.SYS_fsopen(),
                    CStrings.allocate(arena, fsType).address(),
                    linux_h.FSOPEN_CLOEXEC()));
        }
    }

    /** fsconfig(2) {@code FSCONFIG_SET_STRING}: one {@code key=value} mount option. */
    public static void fsconfigString(OwnedFd context, String key, String value) {
        try (var arena = Arena.ofConfined()) {
            Syscall.call(
                    "fsconfig",
                    key + "=" + value,
                    linux_h.SYS_fsconfig(),
                    context.fd(),
                    linux_h.FSCONFIG_SET_STRING(),
                    CStrings.allocate(arena, key).address(),
                    CStrings.allocate(arena, value).address(),
                    0);
        }
    }

    /** fsconfig(2) {@code FSCONFIG_SET_FD}: an option whose value is a file descriptor. */
    public static void fsconfigFd(OwnedFd context, String key, OwnedFd value) {
        try (var arena = Arena.ofConfined()) {
            Syscall.call(
                    "fsconfig",
                    key + "=" + value,
                    linux_h.SYS_fsconfig(),
                    context.fd(),
                    linux_h.FSCONFIG_SET_FD(),
                    CStrings.allocate(arena, key).address(),
                    0,
                    value.fd());
        }
    }

    /** fsconfig(2) {@code FSCONFIG_CMD_CREATE}: create the superblock from the options given so far. */
    public static void fsconfigCreate(OwnedFd context) {
        Syscall.call(
                "fsconfig", "create", linux_h.SYS_fsconfig(), context.fd(), linux_h.FSCONFIG_CMD_CREATE(), 0, 0, 0);
    }

    /** fsmount(2): a detached mount of the created filesystem, with {@code MOUNT_ATTR_*} flags. */
    public static OwnedFd fsmount(OwnedFd context, int mountAttributes) {
        return OwnedFd.adopt((int) Syscall.call(
                "fsmount",
                context.toString(),
                linux_h.SYS_fsmount(),
                context.fd(),
                linux_h.FSMOUNT_CLOEXEC(),
                mountAttributes));
    }

    /** move_mount(2): attach a detached mount (from fsmount or open_tree) at {@code target}. */
    public static void moveMount(OwnedFd mount, String target) {
        try (var arena = Arena.ofConfined()) {
            Syscall.call(
                    "move_mount",
                    target,
                    linux_h.SYS_move_mount(),
                    mount.fd(),
                    CStrings.allocate(arena, "").address(),
                    linux_h.AT_FDCWD(),
                    CStrings.allocate(arena, target).address(),
                    linux_h.MOVE_MOUNT_F_EMPTY_PATH());
        }
    }

    /** fsconfig(2) {@code FSCONFIG_SET_FLAG}: a mount option without a value ({@code "ro"} style). */
    public static void fsconfigFlag(OwnedFd context, String key) {
        try (var arena = Arena.ofConfined()) {
            Syscall.call(
                    "fsconfig",
                    key,
                    linux_h.SYS_fsconfig(),
                    context.fd(),
                    linux_h.FSCONFIG_SET_FLAG(),
                    CStrings.allocate(arena, key).address(),
                    0,
                    0);
        }
    }

    /**
     * move_mount(2) from descriptor to descriptor: attach {@code mount} on the file or directory
     * {@code target} refers to, with no path resolved at all.
     */
    public static void moveMount(OwnedFd mount, OwnedFd target) {
        try (var arena = Arena.ofConfined()) {
            long empty = CStrings.allocate(arena, "").address();
            Syscall.call(
                    "move_mount",
                    target.toString(),
                    linux_h.SYS_move_mount(),
                    mount.fd(),
                    empty,
                    target.fd(),
                    empty,
                    linux_h.MOVE_MOUNT_F_EMPTY_PATH() | linux_h.MOVE_MOUNT_T_EMPTY_PATH());
        }
    }

    /**
     * mount_setattr(2): set and clear {@code MOUNT_ATTR_*} flags of the mount {@code mount} refers to,
     * and with {@code recursive} of every mount below it. Unlike a remount with mount(2), this
     * leaves every other flag of each mount as it was.
     */
    public static void setAttributes(OwnedFd mount, boolean recursive, long set, long clear) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment attributes = arena.allocate(mount_attr.layout());
            mount_attr.attr_set(attributes, set);
            mount_attr.attr_clr(attributes, clear);
            Syscall.call(
                    "mount_setattr",
                    mount.toString(),
                    linux_h.SYS_mount_setattr(),
                    mount.fd(),
                    CStrings.allocate(arena, "").address(),
                    linux_h.AT_EMPTY_PATH() | (recursive ? linux_h.AT_RECURSIVE() : 0),
                    attributes.address(),
                    attributes.byteSize());
        }
    }
}
