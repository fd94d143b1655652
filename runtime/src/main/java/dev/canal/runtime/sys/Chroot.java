package dev.canal.runtime.sys;

import java.lang.foreign.Arena;

/**
 * chroot(2): change the calling thread's root directory. Like the working directory, the root
 * belongs to the filesystem context, which a thread has to itself only after unshare(2) with
 * {@code CLONE_FS}; a process it creates inherits it.
 *
 * <p>Canal uses it only for a container without a mount namespace of its own: pivot_root(2)
 * would swap the root of the caller's mount namespace, the host's. chroot(2) moves no mount and
 * changes nothing but the root of whoever calls it (runc does the same, libcontainer's
 * {@code chroot}). It is escapable by a process that keeps CAP_SYS_CHROOT, which is why a
 * container with a mount namespace gets pivot_root instead.
 */
public final class Chroot {

    /** chroot(2)'s number, for the clone engine's child program. */
    public static final long NUMBER = SyscallNumbers.CHROOT;

    private Chroot() {}

    /** chroot(2) to {@code path}. */
    public static void into(String path) {
        try (var arena = Arena.ofConfined()) {
            Syscall.call("chroot", path, NUMBER, CStrings.allocate(arena, path).address());
        }
    }
}
