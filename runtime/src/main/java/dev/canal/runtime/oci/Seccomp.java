package dev.canal.runtime.oci;

import java.util.List;
import java.util.Map;

/**
 * A seccomp filter in libseccomp's terms (config-linux.md#seccomp): the action for system calls
 * no rule matches, and rules that match calls by name and, optionally, by argument.
 *
 * @param defaultAction "SCMP_ACT_ERRNO", "SCMP_ACT_ALLOW", "SCMP_ACT_KILL_PROCESS", ...
 * @param defaultErrnoRet the errno returned by an SCMP_ACT_ERRNO default; EPERM when absent
 * @param architectures the "SCMP_ARCH_*" ABIs the filter also covers, beyond the native one
 * @param flags seccomp(2) filter flags such as "SECCOMP_FILTER_FLAG_LOG"
 * @param listenerPath the UNIX socket that receives the notify fd for SCMP_ACT_NOTIFY rules
 */
public record Seccomp(
        String defaultAction,
        Long defaultErrnoRet,
        List<String> architectures,
        List<String> flags,
        String listenerPath,
        String listenerMetadata,
        List<Syscall> syscalls,
        @KeepUnknown Map<String, Object> unknownFields) {

    public Seccomp {
        architectures = Immutable.list(architectures);
        flags = Immutable.list(flags);
        syscalls = Immutable.list(syscalls);
        unknownFields = Immutable.map(unknownFields);
    }

    /** A rule: the calls it names, the action to take, and conditions on their arguments (all must hold). */
    public record Syscall(
            List<String> names,
            String action,
            Long errnoRet,
            List<Arg> args,
            @KeepUnknown Map<String, Object> unknownFields) {

        public Syscall {
            names = Immutable.list(names);
            args = Immutable.list(args);
            unknownFields = Immutable.map(unknownFields);
        }
    }

    /**
     * A condition on argument {@code index} (0 to 5): {@code op} is "SCMP_CMP_EQ", "SCMP_CMP_NE",
     * ..., or "SCMP_CMP_MASKED_EQ", which compares {@code arg & value} with {@code valueTwo}.
     */
    public record Arg(
            long index,
            @Uint64 Long value,
            @Uint64 Long valueTwo,
            String op,
            @KeepUnknown Map<String, Object> unknownFields) {

        public Arg {
            unknownFields = Immutable.map(unknownFields);
        }
    }
}
