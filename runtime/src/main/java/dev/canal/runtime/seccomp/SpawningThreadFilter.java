package dev.canal.runtime.seccomp;

import dev.canal.bindings.linux.linux_h;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether a container's seccomp filter may be loaded on the thread engine's spawning thread,
 * a thread of the JVM, instead of in a clone child.
 *
 * <p>A filter loaded by seccomp(2) without TSYNC binds the calling thread only, and every
 * process it creates from then on: loaded on the spawning thread right before posix_spawn(3),
 * it is the container's filter, with no clone child and no C2 warm-up. But it also binds what
 * that thread does afterwards: glibc's posix_spawn, the child's file actions up to execve(2),
 * and the JVM's own work on the thread until it ends (locks, memory, class loading, thread
 * exit). A denied call there could break the JVM (an errno where it expects none) or end it (a
 * kill action). So the filter goes on the thread only if it provably allows every one of those
 * calls, whatever their arguments ({@link PossibleVerdicts}); otherwise the clone engine loads
 * it in its child, right before execve. Docker's and podman's default profiles allow them all.
 *
 * <p>The calls were listed with strace(1) on this JDK and glibc, plus the ones the JVM may make
 * on a thread that another thread's safepoint, a class load or its own exit makes it take, and
 * checked generously (any arguments), so a new JDK that makes one more of these calls is still
 * covered. The one call with a fixed argument is glibc's: posix_spawn clones with clone3(2) and
 * falls back to clone(2) when a filter answers ENOSYS, as Docker's does.
 */
public final class SpawningThreadFilter {

    /** Privileges' calls after a filter loaded before the change of user (without no_new_privs). */
    private static final List<String> USER_CHANGE = List.of("prctl", "setgroups", "setresgid", "setresuid", "capset");

    /** posix_spawn(3) in the thread, around the clone (glibc 2.36): the child's stack and the signal mask. */
    private static final List<String> SPAWN = List.of("mmap", "munmap", "mprotect", "rt_sigprocmask");

    /** The child's file actions up to execve(2); closefrom falls back to reading /proc/self/fd. */
    private static final List<String> CHILD = List.of(
            "rt_sigaction",
            "rt_sigprocmask",
            "setsid",
            "dup2",
            "dup3",
            "fcntl",
            "close",
            "close_range",
            "getdents64",
            "openat",
            "chdir",
            "fchdir",
            "execve",
            "exit_group");

    /** The JVM on the thread once posix_spawn has returned, until the thread has ended. */
    private static final List<String> JVM = List.of(
            "futex",
            "madvise",
            "mmap",
            "munmap",
            "mprotect",
            "brk",
            "rt_sigprocmask",
            "rt_sigreturn",
            "sigaltstack",
            "restart_syscall",
            "sched_yield",
            "nanosleep",
            "clock_nanosleep",
            "clock_gettime",
            "gettid",
            "getpid",
            "tgkill",
            "rseq",
            "set_robust_list",
            "prlimit64",
            "openat",
            "read",
            "pread64",
            "lseek",
            "fstat",
            "newfstatat",
            "statx",
            "readlink",
            "close",
            "write",
            "exit");

    /** glibc's clone(2) fallback: CLONE_VM | CLONE_VFORK, SIGCHLD as exit signal. */
    private static final long SPAWN_CLONE_FLAGS = linux_h.CLONE_VM() | linux_h.CLONE_VFORK() | linux_h.SIGCHLD();

    private static final int ACTION_MASK = (int) linux_h.SECCOMP_RET_ACTION_FULL();
    private static final Set<Integer> ALLOWING = Set.of(linux_h.SECCOMP_RET_ALLOW(), linux_h.SECCOMP_RET_LOG());
    private static final int ENOSYS = linux_h.SECCOMP_RET_ERRNO() | linux_h.ENOSYS();

    /**
     * The last answer and its question. {@link SeccompCompiler} hands out the same program for
     * an equal section, so a daemon asks about one program for nearly every container: the
     * answer, a walk of the filter for about thirty calls, is kept for that program (the same
     * object: programs are immutable).
     */
    private static final AtomicReference<Answer> LAST = new AtomicReference<>();

    private record Answer(SeccompProgram program, boolean beforeUserChange, boolean allows) {}

    private SpawningThreadFilter() {}

    /**
     * Whether {@code program} allows everything the spawning thread and its child do after
     * loading it: the posix_spawn and JVM calls, and the rest of the credential calls when it is
     * loaded before the change of user ({@code beforeUserChange}, without no_new_privs).
     */
    public static boolean allows(SeccompProgram program, boolean beforeUserChange) {
        Answer last = LAST.get();
        if (last != null && last.program() == program && last.beforeUserChange() == beforeUserChange) {
            return last.allows();
        }
        boolean allows = walk(program, beforeUserChange);
        LAST.set(new Answer(program, beforeUserChange, allows));
        return allows;
    }

    private static boolean walk(SeccompProgram program, boolean beforeUserChange) {
        var calls = new LinkedHashSet<String>();
        if (beforeUserChange) {
            calls.addAll(USER_CHANGE);
        }
        calls.addAll(SPAWN);
        calls.addAll(CHILD);
        calls.addAll(JVM);
        for (String call : calls) {
            if (!allowed(verdicts(program, call))) {
                return false;
            }
        }
        return clones(program);
    }

    /** clone3 allowed, or answered ENOSYS with clone allowed for the flags glibc then uses. */
    private static boolean clones(SeccompProgram program) {
        Optional<Set<Integer>> clone3 = verdicts(program, "clone3");
        if (allowed(clone3)) {
            return true;
        }
        return clone3.isPresent()
                && clone3.get().equals(Set.of(ENOSYS))
                && allowed(verdicts(program, "clone", SPAWN_CLONE_FLAGS));
    }

    /** Every verdict {@code program} may give {@code call} with {@code args} known (the rest any value). */
    static Optional<Set<Integer>> verdicts(SeccompProgram program, String call, Long... args) {
        int number = Arch.X86_64
                .table()
                .number(call)
                .orElseThrow(() -> new IllegalStateException("no system call named " + call + " on x86_64"));
        return PossibleVerdicts.of(program.instructions(), number, Arch.X86_64.auditArch(), args);
    }

    private static boolean allowed(Optional<Set<Integer>> verdicts) {
        return verdicts.isPresent() && verdicts.get().stream().allMatch(SpawningThreadFilter::allowing);
    }

    /** Whether a verdict lets the call run (SCMP_ACT_LOG does, after logging it). */
    static boolean allowing(int verdict) {
        return ALLOWING.contains(verdict & ACTION_MASK);
    }
}
