package dev.canal.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.oci.DefaultSeccompProfile;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which filters the thread engine may load on its spawning thread, and the symbolic run that
 * decides it ({@link PossibleVerdicts}).
 */
class SpawningThreadFilterTest {

    private static final int X86_64 = linux_h.AUDIT_ARCH_X86_64();
    private static final int ALLOW = linux_h.SECCOMP_RET_ALLOW();
    private static final int EPERM = linux_h.SECCOMP_RET_ERRNO() | linux_h.EPERM();

    private static SeccompProgram compile(String json) {
        return SeccompCompiler.compile(Profiles.parse(json));
    }

    /** Everything allowed but {@code call}, which gets {@code action}. */
    private static SeccompProgram allowAllBut(String call, String action) {
        return compile("""
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
                 "syscalls": [{"names": ["%s"], "action": "%s"}]}
                """.formatted(call, action));
    }

    @Test
    void canalsDefaultProfileFitsWithAndWithoutNoNewPrivileges() {
        SeccompProgram program = SeccompCompiler.compile(DefaultSeccompProfile.create());
        assertTrue(SpawningThreadFilter.allows(program, false));
        assertTrue(SpawningThreadFilter.allows(program, true));
    }

    @Test
    void aFilterThatDeniesWhatTheJvmDoesOnTheThreadDoesNotFit() {
        assertFalse(SpawningThreadFilter.allows(allowAllBut("futex", "SCMP_ACT_ERRNO"), false));
        assertFalse(SpawningThreadFilter.allows(allowAllBut("madvise", "SCMP_ACT_KILL_PROCESS"), false));
        assertFalse(SpawningThreadFilter.allows(allowAllBut("exit", "SCMP_ACT_TRAP"), false));
        assertTrue(
                SpawningThreadFilter.allows(allowAllBut("openat", "SCMP_ACT_LOG"), false),
                "a logged call goes through");
    }

    @Test
    void theCredentialCallsCountOnlyWhenTheFilterComesBeforeTheUserChange() {
        SeccompProgram noSetuid = allowAllBut("setresuid", "SCMP_ACT_ERRNO");
        assertTrue(SpawningThreadFilter.allows(noSetuid, false), "loaded last, with no_new_privs");
        assertFalse(SpawningThreadFilter.allows(noSetuid, true), "loaded before the user change");
    }

    @Test
    void clone3AnsweredWithEnosysNeedsCloneWithGlibcsFlags() {
        String enosys = "{\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}";
        String cloneOnlyWithoutNewUser = """
                {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
                 "args": [{"index": 0, "value": 268435456, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]}
                """;
        assertTrue(
                SpawningThreadFilter.allows(
                        compile("""
                        {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [%s, %s,
                         {"names": %s, "action": "SCMP_ACT_ALLOW"}]}
                        """.formatted(enosys, cloneOnlyWithoutNewUser, everyCheckedCallButClones())), false),
                "Docker's shape: clone3 ENOSYS, clone allowed without CLONE_NEWUSER");
        assertFalse(SpawningThreadFilter.allows(allowAllBut("clone3", "SCMP_ACT_ERRNO"), false), "clone3 EPERM");
    }

    @Test
    void anUnknownArgumentTakesBothWaysAndAKnownOneItsOwn() {
        SeccompProgram program = compile("""
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [
                 {"names": ["kill"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 1, "value": 9, "op": "SCMP_CMP_EQ"}]}]}
                """);
        int kill = linux_h.SYS_kill();
        assertEquals(Optional.of(Set.of(ALLOW, EPERM)), PossibleVerdicts.of(program.instructions(), kill, X86_64));
        assertEquals(Optional.of(Set.of(EPERM)), PossibleVerdicts.of(program.instructions(), kill, X86_64, null, 9L));
        assertEquals(Optional.of(Set.of(ALLOW)), PossibleVerdicts.of(program.instructions(), kill, X86_64, null, 15L));
        assertEquals(
                Optional.of(Set.of(ALLOW)),
                PossibleVerdicts.of(program.instructions(), linux_h.SYS_getpid(), X86_64),
                "no rule for it");
    }

    /** The calls SpawningThreadFilter checks, other than clone and clone3, as a JSON array. */
    private static String everyCheckedCallButClones() {
        return """
                ["prctl", "setgroups", "setresgid", "setresuid", "capset", "mmap", "munmap", "mprotect",
                 "rt_sigprocmask", "rt_sigaction", "setsid", "dup2", "dup3", "fcntl", "close", "close_range",
                 "getdents64", "openat", "chdir", "fchdir", "execve", "exit_group", "futex", "madvise", "brk",
                 "rt_sigreturn", "sigaltstack", "restart_syscall", "sched_yield", "nanosleep", "clock_nanosleep",
                 "clock_gettime", "gettid", "getpid", "tgkill", "rseq", "set_robust_list", "prlimit64", "read",
                 "pread64", "lseek", "fstat", "newfstatat", "statx", "readlink", "write", "exit"]""";
    }
}
