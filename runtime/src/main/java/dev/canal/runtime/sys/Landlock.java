package dev.canal.runtime.sys;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * Landlock (landlock(7)), used for one thing: a Landlock domain that scopes what its processes
 * may reach outside it, without restricting files or the network.
 *
 * <p>A process in a Landlock domain may ptrace(2), and read {@code /proc/PID/mem},
 * {@code /proc/PID/cwd} or {@code /proc/PID/fd} of, only processes in the same domain or one
 * nested in it (landlock(7), "Ptrace restrictions"; kernel {@code security/landlock/task.c}).
 * That holds even with {@code CAP_SYS_PTRACE}, which otherwise overrides every other check
 * (ptrace(2), "Ptrace access mode checking").
 *
 * <p>A domain must restrict something. Restricting file access would also forbid mount(2) in
 * it, which containers use; a scope does not: {@code LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET}
 * (Landlock ABI 6, Linux 6.12) stops the domain's processes from connecting to abstract unix
 * sockets made outside it, the smallest restriction there is.
 *
 * <p>The system call numbers are in Debian 12's headers; the scope and the third member of
 * {@code struct landlock_ruleset_attr} are newer than them, so they are written here, from
 * {@code include/uapi/linux/landlock.h} of Linux 6.12.
 */
public final class Landlock {

    private static final long SYS_LANDLOCK_CREATE_RULESET = 444;
    private static final long SYS_LANDLOCK_RESTRICT_SELF = 446;
    private static final long CREATE_RULESET_VERSION = 1;
    private static final long SCOPE_ABSTRACT_UNIX_SOCKET = 1;
    /** The first ABI with scopes. */
    private static final int SCOPES_ABI = 6;

    /** {@code struct landlock_ruleset_attr}: handled_access_fs, handled_access_net, scoped. */
    private static final StructLayout RULESET_ATTR = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("handled_access_fs"),
            ValueLayout.JAVA_LONG.withName("handled_access_net"),
            ValueLayout.JAVA_LONG.withName("scoped"));

    private static final boolean SCOPES = abi() >= SCOPES_ABI;

    private Landlock() {}

    /** Whether this kernel has Landlock with scopes (ABI 6 or later) enabled. */
    public static boolean hasScopes() {
        return SCOPES;
    }

    /**
     * Puts the calling thread in a new Landlock domain that scopes only abstract unix sockets;
     * its children inherit it, across execve(2) too. landlock_restrict_self(2) acts on the
     * calling thread alone and needs no_new_privs or CAP_SYS_ADMIN.
     */
    public static void enterScopedDomain() {
        try (var arena = Arena.ofConfined()) {
            MemorySegment attributes = arena.allocate(RULESET_ATTR);
            attributes.set(
                    ValueLayout.JAVA_LONG, RULESET_ATTR.byteOffset(groupElement("scoped")), SCOPE_ABSTRACT_UNIX_SOCKET);
            try (var ruleset = OwnedFd.adopt((int) Syscall.call(
                    "landlock_create_ruleset",
                    "scoped",
                    SYS_LANDLOCK_CREATE_RULESET,
                    attributes.address(),
                    RULESET_ATTR.byteSize(),
                    0))) {
                Syscall.call("landlock_restrict_self", "scoped", SYS_LANDLOCK_RESTRICT_SELF, ruleset.fd(), 0);
            }
        }
    }

    /** landlock_create_ruleset(2) with {@code LANDLOCK_CREATE_RULESET_VERSION}: the ABI, or 0 without Landlock. */
    private static int abi() {
        try {
            return (int) Syscall.call(
                    "landlock_create_ruleset", "version", SYS_LANDLOCK_CREATE_RULESET, 0, 0, CREATE_RULESET_VERSION);
        } catch (SyscallException disabledOrAbsent) {
            return 0;
        }
    }
}
