package dev.canal.runtime.sys;

import dev.canal.bindings.linux.__user_cap_data_struct;
import dev.canal.bindings.linux.__user_cap_header_struct;
import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The system calls that shape a thread's capabilities (capabilities(7)), as {@link RawCall}s.
 * Every one acts on the calling thread only, which is what a spawning thread or a clone child
 * needs: glibc's cap_set_proc and prctl wrappers would too, but these must also run in a clone
 * child that cannot call into libc.
 */
public final class CapabilityCalls {

    private CapabilityCalls() {}

    /**
     * prctl(2) PR_CAPBSET_DROP: removes {@code capability} from the bounding set, which limits
     * what execve(2) can ever grant. Needs CAP_SETPCAP; cannot be undone.
     */
    public static RawCall dropFromBoundingSet(int capability) {
        return new RawCall(
                "drop capability " + capability + " from the bounding set",
                linux_h.SYS_prctl(),
                linux_h.PR_CAPBSET_DROP(),
                capability);
    }

    /**
     * prctl(2) PR_SET_KEEPCAPS: keep the permitted set when the uids change from 0 to non-zero,
     * so capset(2) can still grant a non-root process its capabilities afterwards. execve(2)
     * clears the flag.
     */
    public static RawCall keepCapabilitiesAcrossUserChange() {
        return new RawCall(
                "keep capabilities across the user change", linux_h.SYS_prctl(), linux_h.PR_SET_KEEPCAPS(), 1);
    }

    /**
     * capset(2), version 3 (64-bit sets as two 32-bit halves): the effective, permitted and
     * inheritable sets, bit {@code n} for capability {@code n}. The header and data live in
     * {@code arena}, which must outlive the call.
     */
    public static RawCall setSets(Arena arena, long effective, long permitted, long inheritable) {
        MemorySegment header = arena.allocate(__user_cap_header_struct.layout());
        __user_cap_header_struct.version(header, linux_h._LINUX_CAPABILITY_VERSION_3());
        __user_cap_header_struct.pid(header, 0);
        MemorySegment data = __user_cap_data_struct.allocateArray(linux_h._LINUX_CAPABILITY_U32S_3(), arena);
        for (int half = 0; half < 2; half++) {
            MemorySegment word = __user_cap_data_struct.asSlice(data, half);
            __user_cap_data_struct.effective(word, (int) (effective >>> (32 * half)));
            __user_cap_data_struct.permitted(word, (int) (permitted >>> (32 * half)));
            __user_cap_data_struct.inheritable(word, (int) (inheritable >>> (32 * half)));
        }
        return new RawCall("capset", linux_h.SYS_capset(), header.address(), data.address());
    }

    /**
     * prctl(2) PR_CAP_AMBIENT_RAISE: adds {@code capability} to the ambient set, which a
     * non-root program keeps across execve(2). It must be permitted and inheritable already.
     */
    public static RawCall raiseAmbient(int capability) {
        return new RawCall(
                "raise ambient capability " + capability,
                linux_h.SYS_prctl(),
                linux_h.PR_CAP_AMBIENT(),
                linux_h.PR_CAP_AMBIENT_RAISE(),
                capability,
                0,
                0);
    }

    /**
     * prctl(2) PR_SET_NO_NEW_PRIVS: execve(2) will never grant more privileges (setuid bits and
     * file capabilities are ignored). Inherited by children; cannot be undone.
     */
    public static RawCall setNoNewPrivileges() {
        return new RawCall("set no_new_privs", linux_h.SYS_prctl(), linux_h.PR_SET_NO_NEW_PRIVS(), 1, 0, 0, 0);
    }

    /**
     * prctl(2) PR_SET_DUMPABLE 0: no core dumps, and no ptrace(2) or /proc/PID/mem, /proc/PID/exe
     * access by other processes without CAP_SYS_PTRACE in the initial user namespace (proc(5),
     * ptrace(2) "Ptrace access mode checking"). execve(2) makes a process dumpable again.
     */
    public static RawCall setNotDumpable() {
        return new RawCall("make the process not dumpable", linux_h.SYS_prctl(), linux_h.PR_SET_DUMPABLE(), 0);
    }
}
