package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.oci.DefaultSpec;
import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.sys.Processes;
import dev.canal.runtime.testing.ContainerRun;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.TestBundle;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Root inside a default container (runc's three capabilities, no_new_privs, runc's masked and
 * read-only paths; and once more with the default seccomp profile of `canal-oci spec` on top)
 * tries the classic ways out, and each must fail. Every attempt prints its exit status, so a
 * missing refusal shows as the line that differs.
 */
@RequiresRoot
class EscapeTest {

    /** Each engine with capabilities alone, and the whole default configuration (seccomp needs the clone engine). */
    enum Setup {
        THREAD(EngineChoice.THREAD, false),
        CLONE(EngineChoice.CLONE, false),
        DEFAULT_SECCOMP(EngineChoice.AUTO, true);

        final EngineChoice engine;
        final boolean seccomp;

        Setup(EngineChoice engine, boolean seccomp) {
            this.engine = engine;
            this.seccomp = seccomp;
        }
    }

    @TempDir
    Path work;

    private ContainerRun.Outcome attempt(Setup setup, String script) throws Exception {
        var bundle = TestBundle.create(work.resolve("bundle")).shell(script);
        ObjectNode capabilities = bundle.process().putObject("capabilities");
        for (String set : new String[] {"bounding", "effective", "permitted"}) {
            capabilities.putArray(set).add("CAP_AUDIT_WRITE").add("CAP_KILL").add("CAP_NET_BIND_SERVICE");
        }
        if (setup.seccomp) {
            bundle.linux()
                    .set(
                            "seccomp",
                            JsonMapper.builder()
                                    .build()
                                    .readTree(DefaultSpec.create(false).toJson())
                                    .get("linux")
                                    .get("seccomp"));
        }
        return ContainerRun.run(
                new Containers(work.resolve("state")),
                "escape-" + setup.name().toLowerCase(),
                bundle.write(),
                setup.engine);
    }

    private static void refused(ContainerRun.Outcome outcome, String... failures) {
        for (String failure : failures) {
            assertTrue(
                    outcome.stdout().contains(failure + "\n"),
                    failure + " in:\n" + outcome.stdout() + outcome.stderr());
        }
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void cannotMountOrRemountTheKernelsInterfacesWritable(Setup setup) throws Exception {
        var outcome = attempt(setup, """
                mount -t tmpfs none /tmp; echo mount=$?
                mount -o remount,rw /proc/sys; echo proc-sys=$?
                mount -o remount,rw /sys; echo sys=$?
                echo 1 > /proc/sys/kernel/hostname; echo write-proc-sys=$?
                """);
        refused(outcome, "mount=1", "proc-sys=1", "sys=1", "write-proc-sys=1");
        // Refused for want of CAP_SYS_ADMIN (busybox says EPERM so), and /proc/sys is read-only.
        assertEquals(
                3,
                outcome.stderr()
                        .lines()
                        .filter(l -> l.contains("permission denied"))
                        .count(),
                outcome.stderr());
        assertTrue(outcome.stderr().contains("Read-only file system"), outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void cannotWriteAMaskedPathOrMakeADevice(Setup setup) throws Exception {
        var outcome = attempt(setup, """
                echo x > /sys/firmware/x 2>/dev/null; echo masked=$?
                mknod /tmp/sda b 8 0 2>/dev/null; echo mknod=$?
                """);
        refused(outcome, "masked=1", "mknod=1");
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void cannotSeeAHostPidOrLoadAModuleOrRenameTheHost(Setup setup) throws Exception {
        String hostname = java.nio.file.Files.readAllLines(Path.of("/proc/sys/kernel/hostname"))
                .getFirst();
        int host = Processes.pid();
        // init_module(2) checks CAP_SYS_MODULE before it looks at the image, so junk will do.
        var outcome = attempt(setup, """
                test -e /proc/%d; echo host-pid=$?
                kill -0 %d 2>/dev/null; echo kill=$?
                echo junk > /tmp/x.ko; insmod /tmp/x.ko 2>&1 | grep -c 'not permitted'
                hostname evil 2>/dev/null; echo hostname=$?
                """.formatted(host, host));
        refused(outcome, "host-pid=1", "kill=1", "1", "hostname=1");
        assertEquals(
                hostname,
                java.nio.file.Files.readAllLines(Path.of("/proc/sys/kernel/hostname"))
                        .getFirst(),
                "the host's name is unchanged");
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void noHostDescriptorReachesTheProgram(Setup setup) throws Exception {
        // ls opens the directory itself (3); anything else came from the runtime.
        var outcome = attempt(setup, "ls /proc/self/fd");
        assertEquals("0\n1\n2\n3\n", outcome.stdout(), outcome.stderr());
    }
}
