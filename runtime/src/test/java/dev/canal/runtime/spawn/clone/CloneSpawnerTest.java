package dev.canal.runtime.spawn.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.CStrings;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.Pipe;
import dev.canal.runtime.sys.SyscallException;
import dev.canal.runtime.testing.IsolatedThread;
import dev.canal.runtime.testing.RequiresRoot;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresRoot
class CloneSpawnerTest {

    static final long NAMESPACES =
            (long) linux_h.CLONE_NEWPID() | linux_h.CLONE_NEWNS() | linux_h.CLONE_NEWUTS() | linux_h.CLONE_NEWIPC();
    static final Duration WATCHDOG = Duration.ofSeconds(2);
    private static final List<String> PATH = List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin");

    /** Spawns {@code argv} in new pid, mount, UTS and IPC namespaces and waits for its status. */
    private static WaitStatus run(List<String> argv) {
        return run(NAMESPACES, argv);
    }

    private static WaitStatus run(long namespaces, List<String> argv) {
        try (var arena = Arena.ofConfined()) {
            ChildProgram program = ChildProgram.builder(arena)
                    .execve(argv.getFirst(), argv, PATH)
                    .build();
            CloneChild child = CloneSpawner.spawn(namespaces, program, WATCHDOG);
            assertTrue(child.execed());
            return child.waitFor();
        }
    }

    @Test
    void aChildInNewNamespacesExecsTrueAndExitsZero() {
        assertEquals(0, run(List.of("/bin/true")).shellCode());
    }

    @Test
    void theExitCodeIsTheProgramsOwn() {
        assertEquals(7, run(List.of("/bin/sh", "-c", "exit 7")).shellCode());
    }

    @Test
    void theChildIsInitOfItsPidNamespaceAndInheritsOnlyStandardDescriptors() throws Exception {
        // $$ is 1 in a new pid namespace; /proc/self/fd lists 0, 1, 2 and ls's own directory.
        String script = "[ $$ = 1 ] || exit 10; [ \"$(ls /proc/self/fd | wc -l)\" = 4 ] || exit 11; "
                + "grep -q '^SigBlk:.*0000000000000000$' /proc/self/status || exit 12";
        assertEquals(0, run(List.of("/bin/sh", "-c", script)).shellCode());
    }

    @Test
    void aChildKilledBySigkillReports137() {
        try (var arena = Arena.ofConfined()) {
            ChildProgram program = ChildProgram.builder(arena)
                    .execve("/bin/sleep", List.of("sleep", "60"), PATH)
                    .build();
            CloneChild child = CloneSpawner.spawn(NAMESPACES, program, WATCHDOG);
            child.signal(linux_h.SIGKILL());
            WaitStatus status = child.waitFor();
            assertEquals(137, status.shellCode());
            assertEquals("killed by SIGKILL", status.toString());
        }
    }

    @Test
    void aFailingStepIsNamedWithItsErrnoAndLeavesNoProcessBehind() {
        try (var arena = Arena.ofConfined()) {
            ChildProgram program = ChildProgram.builder(arena)
                    .execve("/nonexistent/canal-test", List.of("canal-test"), PATH)
                    .build();
            var error = assertThrows(ChildStepException.class, () -> CloneSpawner.spawn(NAMESPACES, program, WATCHDOG));
            assertEquals(
                    "clone child step \"execve /nonexistent/canal-test\": ENOENT (No such file or directory)",
                    error.getMessage());
            assertEquals("ENOENT", error.errnoName());
            assertEquals(4, error.slot());
            assertFalse(Files.exists(Path.of("/proc", String.valueOf(error.pid()))), "reaped: not even a zombie");
        }
    }

    @Test
    void aChildInAUserNamespaceIsRootThroughTheMapsItsParentWrote() throws Exception {
        try (var arena = Arena.ofConfined();
                var stdout = Pipe.create()) {
            ChildProgram program = ChildProgram.builder(arena)
                    // Without these the child stays the overflow id 65534 and loses its
                    // capabilities at execve(2) (user_namespaces(7)).
                    .step("setresgid", linux_h.SYS_setresgid(), 0, 0, 0)
                    .step("setresuid", linux_h.SYS_setresuid(), 0, 0, 0)
                    .step(
                            "stdout to the pipe",
                            linux_h.SYS_dup3(),
                            stdout.writeEnd().fd(),
                            1,
                            0)
                    .execve("/bin/sh", List.of("sh", "-c", "cat /proc/self/uid_map; id -u"), PATH)
                    .build();
            long flags = (long) linux_h.CLONE_NEWUSER() | linux_h.CLONE_NEWNS() | linux_h.CLONE_NEWPID();
            CloneChild child = CloneSpawner.spawn(flags, program, WATCHDOG, spawned -> {
                Path proc = Path.of("/proc", String.valueOf(spawned.pid()));
                // user_namespaces(7): setgroups must be denied before an unprivileged gid_map,
                // and it is what a container runtime does anyway.
                Files.writeString(proc.resolve("setgroups"), "deny");
                Files.writeString(proc.resolve("uid_map"), "0 100000 65536\n");
                Files.writeString(proc.resolve("gid_map"), "0 100000 65536\n");
            });
            stdout.writeEnd().close();
            String output = readAll(stdout.readEnd());
            assertEquals(0, child.waitFor().shellCode());
            assertEquals(
                    List.of("0 100000 65536", "0"),
                    output.lines()
                            .map(line -> line.trim().replaceAll(" +", " "))
                            .toList());
        }
    }

    @Test
    void aHeldChildWaitsOnItsFifoAndExecsOnceReleased(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("start");
        try (var arena = Arena.ofConfined()) {
            ChildProgram program = heldTrue(arena, fifo);
            try (CloneChild child = CloneSpawner.spawn(NAMESPACES, program, WATCHDOG)) {
                assertTrue(child.held());
                Thread.sleep(100);
                assertFalse(child.execed());
                assertEquals(
                        Files.readSymbolicLink(Path.of("/proc/self/exe")),
                        Files.readSymbolicLink(Path.of("/proc", String.valueOf(child.pid()), "exe")),
                        "still a copy of this JVM, blocked in open");
                release(fifo);
                child.awaitExec(WATCHDOG);
                assertTrue(child.execed());
                assertEquals(0, child.waitFor().shellCode());
            }
        }
    }

    @Test
    void closingAHeldChildKillsAndReapsIt(@TempDir Path dir) {
        try (var arena = Arena.ofConfined()) {
            ChildProgram program = heldTrue(arena, dir.resolve("never"));
            CloneChild child = CloneSpawner.spawn(NAMESPACES, program, WATCHDOG);
            child.close();
            assertEquals(137, child.waitFor().shellCode());
            assertFalse(Files.exists(Path.of("/proc", String.valueOf(child.pid()))));
        }
    }

    @Test
    void theWatchdogKillsAChildThatMissesItsHoldPointAndTriesAgain() {
        try (var arena = Arena.ofConfined();
                var silent = Pipe.create()) {
            var builder = ChildProgram.builder(arena);
            ChildProgram program = builder
                    // Nobody writes to this pipe: the child blocks here, as a child hung on
                    // the JVM would, short of its hold point.
                    .step("block", linux_h.SYS_read(), silent.readEnd().fd(), builder.cString("x"), 1)
                    .holdPoint()
                    .execve("/bin/true", List.of("true"), PATH)
                    .build();
            long retriesBefore = CloneSpawner.retries();
            List<Integer> pids = new ArrayList<>();
            var error = assertThrows(
                    ChildStuckException.class,
                    () -> CloneSpawner.spawn(
                            NAMESPACES, program, Duration.ofMillis(300), child -> pids.add(child.pid())));
            assertEquals(
                    "clone child did not reach its hold point within 300 ms in 5 attempts; each was killed",
                    error.getMessage());
            assertEquals(CloneSpawner.MAX_ATTEMPTS, pids.size());
            assertEquals(CloneSpawner.MAX_ATTEMPTS - 1, CloneSpawner.retries() - retriesBefore);
            for (int pid : pids) {
                assertFalse(Files.exists(Path.of("/proc", String.valueOf(pid))), "attempt " + pid + " was reaped");
            }
        }
    }

    @Test
    void whenCloneItselfFailsTheErrnoComesBackThroughThePipe() throws Exception {
        // pid_namespaces(7): once the init of a pid namespace has exited, fork fails there with
        // ENOMEM. This thread's children go to the namespace it unshared; the first one is its
        // init and exits at once. (No CLONE_NEWPID here: clone(2) refuses it with EINVAL while
        // the caller's namespace for children differs from its own.)
        long uts = linux_h.CLONE_NEWUTS();
        String message = IsolatedThread.run(linux_h.CLONE_NEWPID(), () -> {
            assertEquals(0, run(uts, List.of("/bin/true")).shellCode());
            var error = assertThrows(SyscallException.class, () -> run(uts, List.of("/bin/true")));
            return error.getMessage();
        });
        assertEquals("clone(flags 0x4000000): ENOMEM (Cannot allocate memory)", message);
    }

    @Test
    void refusesFlagsThatAreNotNamespaces() {
        try (var arena = Arena.ofConfined()) {
            ChildProgram program = ChildProgram.builder(arena).build();
            assertThrows(IllegalArgumentException.class, () -> CloneSpawner.start(linux_h.CLONE_VM(), program));
        }
    }

    @Test
    void eachSpawnIsANewProcess() {
        try (var arena = Arena.ofConfined()) {
            ChildProgram program = ChildProgram.builder(arena)
                    .execve("/bin/true", List.of("true"), PATH)
                    .build();
            CloneChild first = CloneSpawner.spawn(NAMESPACES, program, WATCHDOG);
            CloneChild second = CloneSpawner.spawn(NAMESPACES, program, WATCHDOG);
            assertNotEquals(first.pid(), second.pid());
            assertEquals(0, first.waitFor().shellCode());
            assertEquals(0, second.waitFor().shellCode());
        }
    }

    /**
     * A program that reports its hold point, then blocks opening {@code fifo} (created here)
     * for reading, as a created container waits for start, then execs /bin/true.
     */
    private static ChildProgram heldTrue(Arena arena, Path fifo) {
        assertEquals(0, linux_h.mkfifo(CStrings.allocate(arena, fifo.toString()), 0600));
        var builder = ChildProgram.builder(arena).holdPoint();
        return builder
                // open(2) of a FIFO for reading blocks until a writer opens it (fifo(7)).
                .step(
                        "wait for start",
                        linux_h.SYS_openat(),
                        linux_h.AT_FDCWD(),
                        builder.cString(fifo.toString()),
                        linux_h.O_RDONLY() | linux_h.O_CLOEXEC())
                .execve("/bin/true", List.of("true"), PATH)
                .build();
    }

    /** Opens the FIFO for writing without blocking; ENXIO means the child is not in open yet. */
    static void release(Path fifo) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                OwnedFd.open(fifo.toString(), linux_h.O_WRONLY() | linux_h.O_NONBLOCK(), 0)
                        .close();
                return;
            } catch (SyscallException e) {
                if (e.errno() != linux_h.ENXIO() || attempt == 1_000) {
                    throw e;
                }
                Thread.sleep(1);
            }
        }
    }

    static String readAll(OwnedFd fd) {
        var bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int count; (count = fd.read(buffer, 0, buffer.length)) > 0; ) {
            bytes.write(buffer, 0, count);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
