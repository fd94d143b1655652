package dev.canal.runtime.seccomp;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The system calls a container's first process still makes after its seccomp filter is loaded,
 * and so must be let through for it to start at all.
 *
 * <p>With no_new_privs the filter is the last step: only execve(2) follows. Without, loading it
 * needs CAP_SYS_ADMIN, so it comes before the change of user, as in runc's init, and the
 * credential calls, the hold point's report (write), the exec FIFO's open, chdir and execve
 * follow; a failed step is reported with write and ends with exit_group. A filter that refuses
 * one of those whatever its arguments (a default action of SCMP_ACT_ERRNO with no rule, say)
 * could never start the process: under runc the start fails; in Canal's clone child it would
 * leave no way even to report or exit. Such a filter is refused at create, naming the call.
 */
public final class CallsAfterFilter {

    private static final List<String> WITH_NO_NEW_PRIVILEGES = List.of("execve");

    private static final List<String> BEFORE_USER_CHANGE = List.of(
            "prctl",
            "setgroups",
            "setresgid",
            "setresuid",
            "capset",
            "write",
            "openat",
            "chdir",
            "execve",
            "exit_group");

    private CallsAfterFilter() {}

    /**
     * The first call the process needs after {@code program} that the program refuses for every
     * argument; empty when each may pass (or the program is too intricate to tell, which the
     * kernel then decides).
     */
    public static Optional<String> certainlyRefused(SeccompProgram program, boolean beforeUserChange) {
        for (String call : beforeUserChange ? BEFORE_USER_CHANGE : WITH_NO_NEW_PRIVILEGES) {
            Optional<Set<Integer>> verdicts = SpawningThreadFilter.verdicts(program, call);
            if (verdicts.isPresent() && verdicts.get().stream().noneMatch(SpawningThreadFilter::allowing)) {
                return Optional.of(call);
            }
        }
        return Optional.empty();
    }
}
