package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.oci.DefaultSpec;
import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.testing.ContainerRun;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.TestBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code linux.seccomp} in real containers: the configured errno, an argument condition,
 * KILL_PROCESS, the filter reported in /proc/self/status, the default profile. The thread engine
 * loads a filter that allows what its spawning thread does afterwards, the clone engine any
 * other (see {@code spawn/Privileges}); AUTO picks between them.
 */
@RequiresRoot
class SeccompContainerTest {

    @TempDir
    Path work;

    private TestBundle bundle(String script, String rules) throws Exception {
        return TestBundle.create(Files.createTempDirectory(work, "bundle"))
                .shell(script)
                .edit(c -> ((ObjectNode) c.get("linux"))
                        .set("seccomp", JsonMapper.builder().build().readTree(rules)));
    }

    private ContainerRun.Outcome run(TestBundle bundle) throws Exception {
        return runTwice(bundle, EngineChoice.AUTO);
    }

    /**
     * Runs the container twice in one state root: the first create compiles the filter and keeps
     * it, the second takes the kept one (the entry's inode is unchanged: a miss writes a new file
     * by rename). Both must behave alike; the second's outcome is returned.
     */
    private ContainerRun.Outcome runTwice(TestBundle bundle, EngineChoice engine) throws Exception {
        var containers = new Containers(stateRoot());
        Path config = bundle.write();
        var compiled = ContainerRun.run(containers, "seccomp", config, engine);
        Object written = Files.getAttribute(onlyCacheEntry(), "unix:ino");
        var cached = ContainerRun.run(containers, "seccomp", config, engine);
        assertEquals(written, Files.getAttribute(onlyCacheEntry(), "unix:ino"), "the second create took the entry");
        assertEquals(compiled, cached);
        return cached;
    }

    /** The state root, made beforehand as after any earlier create: the cache lives under it. */
    private Path stateRoot() throws Exception {
        Path root = work.resolve("state");
        Files.createDirectories(root);
        return root;
    }

    private Path onlyCacheEntry() throws Exception {
        try (var entries = Files.list(stateRoot().resolve("@cache/seccomp"))) {
            var all = entries.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    /**
     * The kernel enforces the kept program, not one compiled again: the entry's errno for mkdir
     * (95, EOPNOTSUPP) rewritten to 13 (EACCES) shows in the next container. The return is
     * SECCOMP_RET_ERRNO (0x50000) | errno, in the entry's line for a BPF_RET|BPF_K (6).
     */
    @Test
    void theFilterTakenFromTheCacheIsTheOneEnforced() throws Exception {
        var bundle = bundle("mkdir /tmp/x; echo mkdir=$?", """
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 95}]}
                """);
        var cached = runTwice(bundle, EngineChoice.AUTO);
        assertTrue(cached.stderr().contains("Operation not supported"), cached.stderr());
        assertEquals("mkdir=1\n", cached.stdout());

        Path entry = onlyCacheEntry();
        String kept = Files.readString(entry);
        String eacces = kept.replace("\n6 0 0 " + (0x50000 | 95) + "\n", "\n6 0 0 " + (0x50000 | 13) + "\n");
        assertNotEquals(kept, eacces);
        Files.writeString(entry, eacces);
        var edited = ContainerRun.run(new Containers(stateRoot()), "seccomp", bundle.write(), EngineChoice.AUTO);
        assertTrue(edited.stderr().contains("Permission denied"), edited.stderr());
        assertEquals("mkdir=1\n", edited.stdout());
    }

    @Test
    void aDeniedCallGetsTheConfiguredErrnoAndTheFilterShowsInStatus() throws Exception {
        // EOPNOTSUPP (95) for mkdir, whichever of the two calls busybox makes.
        var outcome =
                run(bundle("mkdir /tmp/x; echo mkdir=$?; grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status", """
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
                 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 95}]}
                """));
        assertTrue(outcome.stderr().contains("Operation not supported"), outcome.stderr());
        assertEquals("mkdir=1\nNoNewPrivs:\t1\nSeccomp:\t2\n", outcome.stdout(), outcome.stderr());
    }

    @Test
    void anArgumentConditionDeniesOneValueAndAllowsAnother() throws Exception {
        // kill(2) with signal 15 is refused; signal 0 (a check) passes.
        var outcome = run(bundle("kill -0 $$; echo zero=$?; kill -15 $$; echo term=$?", """
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
                               "args": [{"index": 1, "value": 15, "op": "SCMP_CMP_EQ"}]}]}
                """));
        assertEquals("zero=0\nterm=1\n", outcome.stdout(), outcome.stderr());
    }

    @Test
    void killProcessEndsTheProgramWithSigsys() throws Exception {
        var bundle = bundle("unused", """
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_KILL_PROCESS"}]}
                """).args("uname");
        // 128 + SIGSYS (31), as a shell reports a signal death.
        assertEquals(159, run(bundle).exitCode());
    }

    @Test
    void withoutNoNewPrivsTheFilterIsLoadedWhileTheProcessStillHasCapSysAdmin() throws Exception {
        var bundle =
                bundle("mkdir /tmp/x; echo mkdir=$?; grep -E '^(Seccomp|NoNewPrivs|CapEff):' /proc/self/status", """
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}
                """);
        bundle.process().put("noNewPrivileges", false);
        ObjectNode capabilities = bundle.process().putObject("capabilities");
        for (String set : new String[] {"bounding", "effective", "permitted"}) {
            capabilities.putArray(set).add("CAP_KILL");
        }
        var outcome = run(bundle);
        assertEquals(
                "mkdir=1\nCapEff:\t0000000000000020\nNoNewPrivs:\t0\nSeccomp:\t2\n",
                outcome.stdout(),
                outcome.stderr());
    }

    /**
     * A filter that refuses (EPERM) the calls of the clone child's setup that runc's init makes
     * before loading a filter: what runs after it, without no_new_privs, is only what runc runs
     * after it (the credential calls, the hold point's write, the FIFO's open, chdir, execve).
     */
    private static final String REFUSES_THE_SETUP = """
            {"defaultAction": "SCMP_ACT_ALLOW",
             "syscalls": [{"names": ["close_range", "dup3", "rt_sigprocmask", "setsid", "umask"],
                           "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
            """;

    private ContainerRun.Outcome runThroughTheCloneEngine(TestBundle bundle) throws Exception {
        return runTwice(bundle, EngineChoice.CLONE);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aFilterNeedNotAllowTheCloneChildsSetup(boolean noNewPrivileges) throws Exception {
        var status =
                bundle("unused", REFUSES_THE_SETUP).args("grep", "-E", "^(NoNewPrivs|Seccomp):", "/proc/self/status");
        status.process().put("noNewPrivileges", noNewPrivileges);
        var outcome = runThroughTheCloneEngine(status);
        assertEquals(0, outcome.exitCode(), outcome.stderr());
        assertEquals("NoNewPrivs:\t" + (noNewPrivileges ? 1 : 0) + "\nSeccomp:\t2\n", outcome.stdout());

        var busyboxTrue = bundle("unused", REFUSES_THE_SETUP).args("true");
        busyboxTrue.process().put("noNewPrivileges", noNewPrivileges);
        assertEquals(0, runThroughTheCloneEngine(busyboxTrue).exitCode());
    }

    @Test
    void theDefaultProfileRefusesNamespacesAndMountsButRunsAShell() throws Exception {
        var bundle = TestBundle.create(work.resolve("bundle"))
                .shell(
                        "ls / > /dev/null && echo ls-ok; unshare -m true; echo unshare=$?; mount -t tmpfs none /tmp; echo mount=$?")
                .edit(c -> ((ObjectNode) c.get("linux"))
                        .set(
                                "seccomp",
                                JsonMapper.builder()
                                        .build()
                                        .readTree(DefaultSpec.create(false).toJson())
                                        .get("linux")
                                        .get("seccomp")));
        var outcome = run(bundle);
        assertEquals("ls-ok\nunshare=1\nmount=1\n", outcome.stdout(), outcome.stderr());
    }

    @Test
    void theThreadEngineRefusesAFilterThatDeniesWhatItsThreadDoesAndLeavesNothing() throws Exception {
        var bundle = bundle("true", """
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["futex"], "action": "SCMP_ACT_ERRNO"}]}
                """);
        var containers = new Containers(work.resolve("state"));
        var error = assertThrows(
                IllegalArgumentException.class,
                () -> containers.create(
                        "thread", bundle.write(), new CreateOptions(EngineChoice.THREAD, Stdio.inherit())));
        assertEquals(
                "this seccomp filter does not allow what the thread engine's spawning thread does after loading it;"
                        + " use the clone engine",
                error.getMessage());
        assertEquals(java.util.List.of(), containers.ids());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void eitherEngineLoadsAFilterThatFitsTheSpawningThread(EngineChoice engine) throws Exception {
        var bundle = bundle("kill -0 $$; echo kill=$?; grep -E '^Seccomp:' /proc/self/status", """
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ERRNO"}]}
                """);
        var outcome = runTwice(bundle, engine);
        assertEquals("kill=1\nSeccomp:\t2\n", outcome.stdout(), outcome.stderr());
    }

    @Test
    void autoTakesTheThreadEngineForAFilterThatFitsAndTheCloneEngineOtherwise() throws Exception {
        var containers = new Containers(work.resolve("state"));
        String fits =
                "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"uname\"], \"action\": \"SCMP_ACT_ERRNO\"}]}";
        String deniesFutex = fits.replace("uname", "futex");
        for (var expected :
                java.util.Map.of(fits, "thread", deniesFutex, "clone").entrySet()) {
            Container container = containers.create(
                    "auto-" + expected.getValue(),
                    bundle("true", expected.getKey()).write(),
                    CreateOptions.defaults());
            try {
                assertEquals(expected.getValue(), container.engine());
            } finally {
                container.delete(true);
            }
        }
    }

    @Test
    void anUnknownSyscallOrActionIsRefusedBeforeAnythingExists() throws Exception {
        var containers = new Containers(work.resolve("state"));
        var typo = bundle("true", """
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["opne"], "action": "SCMP_ACT_ERRNO"}]}
                """);
        var error = assertThrows(
                RuntimeException.class,
                () -> containers.create("typo", typo.write(), new CreateOptions(EngineChoice.AUTO, Stdio.inherit())));
        assertTrue(
                error.getMessage().startsWith("linux.seccomp.syscalls[0].names[0]: unknown system call \"opne\""),
                error.getMessage());
        var action = bundle("true", """
                {"defaultAction": "SCMP_ACT_EXPLODE"}
                """);
        error = assertThrows(
                RuntimeException.class,
                () -> containers.create(
                        "action", action.write(), new CreateOptions(EngineChoice.AUTO, Stdio.inherit())));
        assertTrue(error.getMessage().contains("linux.seccomp.defaultAction"), error.getMessage());
        assertEquals(java.util.List.of(), containers.ids());
    }

    /** Found by ConfigMutationTest: podman's profile with its rules emptied refuses everything. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aFilterThatRefusesWhatTheProcessNeedsToStartIsRefusedNamingTheCall(boolean noNewPrivileges) throws Exception {
        var containers = new Containers(stateRoot());
        var refusesEverything = bundle("true", """
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": []}
                """);
        refusesEverything.process().put("noNewPrivileges", noNewPrivileges);
        // Refused when compiled, and again when taken from the cache: a kept filter is checked too.
        for (int create = 0; create < 2; create++) {
            var error = assertThrows(
                    RuntimeException.class,
                    () -> containers.create(
                            "everything",
                            refusesEverything.write(),
                            new CreateOptions(EngineChoice.AUTO, Stdio.inherit())));
            String firstNeeded = noNewPrivileges ? "execve" : "prctl";
            assertTrue(
                    error.getMessage().startsWith("linux.seccomp: the filter refuses " + firstNeeded + "(2) whatever"),
                    error.getMessage());
            assertEquals(java.util.List.of(), containers.ids());
        }
        onlyCacheEntry();

        var refusesExecveOnly = bundle("true", """
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["execve"], "action": "SCMP_ACT_ERRNO"}]}
                """);
        refusesExecveOnly.process().put("noNewPrivileges", noNewPrivileges);
        var error = assertThrows(
                RuntimeException.class,
                () -> containers.create(
                        "execve", refusesExecveOnly.write(), new CreateOptions(EngineChoice.AUTO, Stdio.inherit())));
        assertTrue(error.getMessage().startsWith("linux.seccomp: the filter refuses execve(2)"), error.getMessage());
        assertEquals(java.util.List.of(), containers.ids());
    }
}
