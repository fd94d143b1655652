package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;

/**
 * unshare(2) and setns(2): move the calling thread into new or existing namespaces.
 *
 * <p>Both act on the calling thread alone, which is what lets a JVM thread prepare a container
 * for itself while the rest of the JVM stays where it is. The kernel refuses some of them in a
 * multithreaded process: a new user namespace (EINVAL), and a mount namespace while the thread
 * shares its filesystem context (root, cwd) with the others, which is why {@code CLONE_FS} is
 * unshared first.
 */
public final class Namespaces {

    private Namespaces() {}

    /** unshare(2) with {@code CLONE_*} flags, for example {@code CLONE_FS | CLONE_NEWNS}. */
    public static void unshare(int flags) {
        Syscall.call("unshare", "flags 0x" + Integer.toHexString(flags), linux_h.SYS_unshare(), flags);
    }

    /**
     * setns(2): join the namespace that {@code namespace} refers to (an open
     * {@code /proc/PID/ns/TYPE} file); {@code type} is its {@code CLONE_NEW*} flag, or 0 for any.
     */
    public static void setns(OwnedFd namespace, int type) {
        Syscall.call("setns", namespace.toString(), linux_h.SYS_setns(), namespace.fd(), type);
    }
}
