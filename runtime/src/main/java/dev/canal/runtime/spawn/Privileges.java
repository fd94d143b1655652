package dev.canal.runtime.spawn;

import dev.canal.runtime.seccomp.SeccompProgram;
import dev.canal.runtime.seccomp.SpawningThreadFilter;
import dev.canal.runtime.sys.CapabilityCalls;
import dev.canal.runtime.sys.RawCall;
import dev.canal.runtime.sys.SeccompFilter;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * What the container's process may do, as the calls that set it up, in the order runc makes
 * them (libcontainer/init_linux.go, finalizeNamespace): drop the bounding set, keep the
 * capabilities across the change of user, change user (the engine's own step), set the
 * effective, permitted and inheritable sets, raise the ambient ones, then no_new_privs. Both
 * engines make these same calls: the thread engine on its spawning thread, the clone engine
 * in its child.
 *
 * <p>A seccomp filter is loaded as late as it can be, right before execve(2), so it constrains
 * the program and not the setup. Without no_new_privs, seccomp(2) needs CAP_SYS_ADMIN, so then
 * it is loaded before the user change, while the process still has it (runc does the same);
 * the filter must then allow the setup calls that follow. The thread engine loads it on its
 * spawning thread when the filter provably allows what that thread and the JVM do there
 * afterwards ({@link #filterFitsSpawningThread}); otherwise the clone engine loads it in its
 * child.
 *
 * @param capabilities the sets to end up with, or null to leave the process's as they are
 *                     (a spec without {@code process.capabilities})
 * @param noNewPrivileges whether to set no_new_privs
 * @param seccomp the compiled {@code linux.seccomp} filter, or null for none
 */
public record Privileges(CapabilitySets capabilities, boolean noNewPrivileges, SeccompProgram seccomp) {

    /**
     * Whether the process could ever hold {@code capability}: its bounding set has it, or there
     * are no sets and the process keeps the runtime's own.
     */
    public boolean mayHold(int capability) {
        return capabilities == null || (capabilities.bounding() & (1L << capability)) != 0;
    }

    /**
     * Whether the thread engine may load the filter on its spawning thread: there is none, or it
     * allows every call the thread makes after loading it ({@link SpawningThreadFilter}).
     */
    public boolean filterFitsSpawningThread() {
        return seccomp == null || SpawningThreadFilter.allows(seccomp, !noNewPrivileges);
    }

    /** prctl(PR_CAPBSET_DROP) for each capability the bounding set leaves out. */
    public List<RawCall> boundingSetDrops() {
        List<RawCall> calls = new ArrayList<>();
        long drop = capabilities == null ? 0 : capabilities.notInBounding();
        for (int capability = 0; capability < Long.SIZE; capability++) {
            if ((drop & (1L << capability)) != 0) {
                calls.add(CapabilityCalls.dropFromBoundingSet(capability));
            }
        }
        return calls;
    }

    /**
     * What must happen before setresuid(2): without no_new_privs, the seccomp filter; keep the
     * permitted set if the uid leaves 0.
     */
    public List<RawCall> beforeUserChange(Arena arena) {
        List<RawCall> calls = new ArrayList<>();
        if (seccomp != null && !noNewPrivileges) {
            calls.add(SeccompFilter.installCall(seccomp.toSockFprog(arena), seccomp.flags()));
        }
        if (capabilities != null) {
            calls.add(CapabilityCalls.keepCapabilitiesAcrossUserChange());
        }
        return calls;
    }

    /** The very last call before execve(2): the seccomp filter, when no_new_privs allows it there. */
    public List<RawCall> lastBeforeExec(Arena arena) {
        return seccomp != null && noNewPrivileges
                ? List.of(SeccompFilter.installCall(seccomp.toSockFprog(arena), seccomp.flags()))
                : List.of();
    }

    /** After setresuid(2): capset, the ambient raises, no_new_privs; memory in {@code arena}. */
    public List<RawCall> afterUserChange(Arena arena) {
        List<RawCall> calls = new ArrayList<>();
        if (capabilities != null) {
            calls.add(CapabilityCalls.setSets(
                    arena, capabilities.effective(), capabilities.permitted(), capabilities.inheritable()));
            // The kernel raises an ambient capability only if it is permitted and inheritable
            // (prctl(2)). runc's own default config lists ambient capabilities without
            // inheritable ones, and runc (through gocapability) ignores the failed raises; so do we.
            long raisable = capabilities.ambient() & capabilities.inheritable() & capabilities.permitted();
            for (int capability = 0; capability < Long.SIZE; capability++) {
                if ((raisable & (1L << capability)) != 0) {
                    calls.add(CapabilityCalls.raiseAmbient(capability));
                }
            }
        }
        if (noNewPrivileges) {
            calls.add(CapabilityCalls.setNoNewPrivileges());
        }
        return calls;
    }
}
