package dev.canal.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.oci.DefaultSeccompProfile;
import dev.canal.runtime.sys.SeccompFilter;
import dev.canal.runtime.sys.Syscall;
import dev.canal.runtime.sys.SyscallException;
import dev.canal.runtime.testing.IsolatedThread;
import dev.canal.runtime.testing.RequiresRoot;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Compiled filters installed in the real kernel, each on a throwaway platform thread: without
 * TSYNC a filter binds only the thread that installs it (and what it starts), and it goes away
 * when the thread ends. The JVM keeps running on that thread until then, so the filters let
 * everything through but the calls under test. Root: installing without no_new_privs needs
 * CAP_SYS_ADMIN.
 */
@RequiresRoot
class SeccompKernelTest {

    private static final int PRIO_PROCESS = 0;
    private static final int PRIO_USER = 2;
    /** Not among the bindings' SYS_* constants; the seccomp table has it (asm/unistd_64.h). */
    private static final int GETPRIORITY =
            Arch.X86_64.table().number("getpriority").orElseThrow();

    @Test
    void theConfiguredErrnoComesBackAndOtherValuesPass() throws Exception {
        SeccompProgram program = SeccompCompiler.compile(Profiles.parse("""
                {"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_LOG"], "syscalls": [
                  {"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 10},
                  {"names": ["getpriority"], "action": "SCMP_ACT_ERRNO", "errnoRet": 3,
                   "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]}
                ]}
                """));
        List<String> seen = IsolatedThread.run(0, () -> {
            installOnThisThread(program);
            return List.of(
                    failure(() -> Syscall.call("getppid", "", linux_h.SYS_getppid())),
                    failure(() -> Syscall.call("getpriority", "PRIO_USER", GETPRIORITY, PRIO_USER, 0)),
                    "getpriority(PRIO_PROCESS) = "
                            + Syscall.call("getpriority", "PRIO_PROCESS", GETPRIORITY, PRIO_PROCESS, 0),
                    seccompStatus());
        });
        assertEquals("getppid: ECHILD", seen.get(0));
        assertEquals("getpriority: ESRCH", seen.get(1));
        assertTrue(seen.get(2).startsWith("getpriority(PRIO_PROCESS) = "), seen.get(2));
        assertEquals("Seccomp:\t2, Seccomp_filters:\t1", seen.get(3));
        // This thread never had the filter.
        assertTrue(Syscall.call("getppid", "", linux_h.SYS_getppid()) > 0);
        assertEquals("Seccomp:\t0, Seccomp_filters:\t0", seccompStatus());
    }

    @Test
    void theKernelTakesAProgramWithLongJumps() throws Exception {
        // A rule on each x86_64 call, on a sixth argument nobody passes: the dispatch reaches the
        // rule bodies through BPF_JA trampolines, which the kernel's checker must accept.
        String rules = Arch.X86_64.table().numbers().keySet().stream()
                .map(name ->
                        "{\"names\": [\"%s\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 18, \"args\": [{\"index\": 5, \"value\": 20015998343868, \"op\": \"SCMP_CMP_EQ\"}]}"
                                .formatted(name))
                .collect(Collectors.joining(","));
        SeccompProgram program = SeccompCompiler.compile(
                Profiles.parse("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [" + rules + "]}"));
        assertTrue(
                program.instructions().size() > 2_000,
                "size " + program.instructions().size());
        String seen = IsolatedThread.run(0, () -> {
            installOnThisThread(program);
            return failure(() -> Syscall.call("getppid", "", linux_h.SYS_getppid(), 0, 0, 0, 0, 0, 0x1234_5678_9abcL))
                    + ", " + (Syscall.call("getppid", "", linux_h.SYS_getppid(), 0, 0, 0, 0, 0, 0x1234_5678_9abdL) > 0);
        });
        assertEquals("getppid: EXDEV, true", seen);
    }

    @Test
    void theDefaultProfileLoadsAndRefusesWhatItShould() throws Exception {
        SeccompProgram program = SeccompCompiler.compile(DefaultSeccompProfile.create());
        List<String> seen = IsolatedThread.run(0, () -> {
            installOnThisThread(program);
            return List.of(
                    failure(() -> Syscall.call("unshare", "CLONE_NEWNS", linux_h.SYS_unshare(), linux_h.CLONE_NEWNS())),
                    failure(() -> Syscall.call("clone3", "", linux_h.SYS_clone3(), 0, 0)),
                    failure(() ->
                            Syscall.call("personality", "ADDR_NO_RANDOMIZE", linux_h.SYS_personality(), 0x0040000)),
                    failure(() -> Syscall.call("mount", "", linux_h.SYS_mount(), 0, 0, 0, 0, 0)),
                    "personality(query) allowed: "
                            + (Syscall.call("personality", "", linux_h.SYS_personality(), 0xffff_ffffL) >= 0),
                    seccompStatus());
        });
        assertEquals(
                List.of(
                        "unshare: EPERM",
                        "clone3: ENOSYS",
                        "personality: EPERM",
                        "mount: EPERM",
                        "personality(query) allowed: true",
                        "Seccomp:\t2, Seccomp_filters:\t1"),
                seen);
    }

    @Test
    void callsNewerThanTheHeadersReachTheKernelOrAreRefused() throws Exception {
        // Numbers from scripts/syscalls-newer-than-headers.txt; the kernel runs them (6.5, 6.10),
        // so an allowed call fails the kernel's way, a refused one the filter's way.
        SeccompProgram program = SeccompCompiler.compile(DefaultSeccompProfile.create());
        int cachestat = Arch.X86_64.table().number("cachestat").orElseThrow();
        int mseal = Arch.X86_64.table().number("mseal").orElseThrow();
        int statmount = Arch.X86_64.table().number("statmount").orElseThrow();
        List<String> seen = IsolatedThread.run(0, () -> {
            installOnThisThread(program);
            return List.of(
                    failure(() -> Syscall.call("cachestat", "fd -1", cachestat, -1, 0, 0, 0)),
                    "mseal(nothing) = " + Syscall.call("mseal", "", mseal, 0, 0, 0),
                    failure(() -> Syscall.call("statmount", "", statmount, 0, 0, 0, 0)));
        });
        assertEquals(List.of("cachestat: EBADF", "mseal(nothing) = 0", "statmount: EPERM"), seen);
    }

    @Test
    void programsRunUnderTheDefaultProfileAndCannotMakeNamespaces() throws Exception {
        // A process started by a filtered thread inherits the filter across fork and execve:
        // the JDK starts it from this thread (posix_spawn of jspawnhelper, then execve).
        SeccompProgram program = SeccompCompiler.compile(DefaultSeccompProfile.create());
        String output = IsolatedThread.run(0, () -> {
            installOnThisThread(program);
            Process shell = new ProcessBuilder(
                            "/bin/sh",
                            "-c",
                            "grep '^Seccomp:' /proc/self/status; ls / > /dev/null && echo ls works;"
                                    + " unshare --mount true; echo unshare exits $?")
                    .redirectErrorStream(true)
                    .start();
            String printed = new String(shell.getInputStream().readAllBytes());
            return printed + "exit " + shell.waitFor();
        });
        // As root and without the filter, unshare(CLONE_NEWNS) succeeds.
        assertEquals(
                "Seccomp:\t2\nls works\nunshare: unshare failed: Operation not permitted\nunshare exits 1\nexit 0",
                output);
    }

    private static String failure(Runnable call) {
        var error = assertThrows(SyscallException.class, call::run);
        return error.call() + ": " + error.errnoName();
    }

    /** The calling thread's seccomp mode (2: filter) and filter count, from proc_pid_status(5). */
    private static String seccompStatus() throws Exception {
        return Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                .filter(line -> line.startsWith("Seccomp:") || line.startsWith("Seccomp_filters:"))
                .collect(Collectors.joining(", "));
    }

    /**
     * Installs the filter on the calling thread only (no TSYNC): from now on, and in every
     * process this thread starts, each system call is checked. seccomp(2) copies the program.
     */
    private static void installOnThisThread(SeccompProgram program) {
        try (var arena = Arena.ofConfined()) {
            SeccompFilter.installCall(program.toSockFprog(arena), program.flags())
                    .invoke();
        }
    }
}
