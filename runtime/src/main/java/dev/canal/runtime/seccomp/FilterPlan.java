package dev.canal.runtime.seccomp;

import java.util.List;
import java.util.Map;

/**
 * A checked {@code linux.seccomp} section with names resolved to numbers, ready to become BPF.
 *
 * @param arches the ABIs covered, the native one first
 * @param rules per ABI, the rules of each system call number that has any, in config.json order
 * @param highestNamed per ABI, the largest number config.json names (whether or not a rule
 *        survived for it): calls above it are newer than the profile
 * @param flags the SECCOMP_FILTER_FLAG_* bits for seccomp(2)
 */
record FilterPlan(
        SeccompAction defaultAction,
        List<Arch> arches,
        Map<Arch, Map<Integer, SyscallRules>> rules,
        Map<Arch, Integer> highestNamed,
        int flags) {

    /**
     * Whether calls newer than the profile get ENOSYS instead of the default action, as runc's
     * libcontainer/seccomp/patchbpf arranges: a profile written before clone3 existed denies it
     * with EPERM, and glibc only falls back to clone when it sees ENOSYS. With a default that
     * lets calls through (ALLOW, LOG) new calls are let through as well; with TRACE the tracer
     * decides, and runc leaves it to the tracer too.
     */
    boolean newerCallsGetEnosys() {
        int action = defaultAction.action();
        return action != SeccompAction.ALLOW && action != SeccompAction.LOG && action != SeccompAction.TRACE;
    }
}
