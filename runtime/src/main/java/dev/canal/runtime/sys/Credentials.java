package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The calling thread's user, groups and umask, as a new process will inherit them.
 *
 * <p>POSIX says credentials belong to the process, and glibc's setresuid, setresgid and
 * setgroups make that true by signalling every thread to change too (nptl's "setxid"
 * broadcast). In a JVM that would drop the privileges of the whole runtime. The raw system calls
 * change only the calling thread's credentials (credentials(7)), which is what a thread that
 * spawns a container's process needs.
 */
public final class Credentials {

    private Credentials() {}

    /** setgroups(2) for this thread only: the supplementary groups. */
    public static void setGroups(int[] groups) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment list = arena.allocateFrom(ValueLayout.JAVA_INT, groups.length == 0 ? new int[1] : groups);
            Syscall.call(
                    "setgroups",
                    java.util.Arrays.toString(groups),
                    linux_h.SYS_setgroups(),
                    groups.length,
                    list.address());
        }
    }

    /** setresgid(2) for this thread only: real, effective and saved group id. */
    public static void setGid(int gid) {
        Syscall.call("setresgid", "gid " + gid, linux_h.SYS_setresgid(), gid, gid, gid);
    }

    /**
     * setresuid(2) for this thread only. Leaving uid 0 clears the thread's capabilities unless
     * it asked to keep them (capabilities(7)); a non-root process gets none across execve.
     */
    public static void setUid(int uid) {
        Syscall.call("setresuid", "uid " + uid, linux_h.SYS_setresuid(), uid, uid, uid);
    }

    /**
     * umask(2). The umask lives in the filesystem context that {@code CLONE_FS} shares, so it is
     * the calling thread's own only after unshare(CLONE_FS); otherwise it is the whole JVM's.
     */
    public static void setUmask(int mask) {
        Syscall.call("umask", "", linux_h.SYS_umask(), mask);
    }
}
