package dev.canal.runtime.spawn;

import dev.canal.runtime.sys.CapabilityCalls;
import dev.canal.runtime.sys.RawCall;
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
 * @param capabilities the sets to end up with, or null to leave the process's as they are
 *                     (a spec without {@code process.capabilities})
 * @param noNewPrivileges whether to set no_new_privs
 */
public record Privileges(CapabilitySets capabilities, boolean noNewPrivileges) {

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

    /** What must happen before setresuid(2): keep the permitted set if the uid leaves 0. */
    public List<RawCall> beforeUserChange() {
        return capabilities == null ? List.of() : List.of(CapabilityCalls.keepCapabilitiesAcrossUserChange());
    }

    /** After setresuid(2): capset, the ambient raises, no_new_privs; memory in {@code arena}. */
    public List<RawCall> afterUserChange(Arena arena) {
        List<RawCall> calls = new ArrayList<>();
        if (capabilities != null) {
            calls.add(CapabilityCalls.setSets(arena, capabilities.effective(), capabilities.permitted(), capabilities.inheritable()));
            for (int capability = 0; capability < Long.SIZE; capability++) {
                if ((capabilities.ambient() & (1L << capability)) != 0) {
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
