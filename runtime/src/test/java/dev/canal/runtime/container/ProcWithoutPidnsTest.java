package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.KernelFeatures;
import dev.canal.runtime.testing.ContainerRun;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.TestBundle;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * As on a kernel without procfs {@code pidns} (before 6.18, most kernels in use): a container
 * with a new pid namespace gets the clone engine, and its first process mounts its own /proc.
 */
@RequiresRoot
class ProcWithoutPidnsTest {

    @TempDir
    Path work;

    @BeforeAll
    static void actAsAnOlderKernel() {
        System.setProperty(KernelFeatures.FORCE_PROCFS_PIDNS, "false");
    }

    @AfterAll
    static void backToThisKernel() {
        System.clearProperty(KernelFeatures.FORCE_PROCFS_PIDNS);
    }

    private ContainerRun.Outcome run(TestBundle bundle) throws Exception {
        return ContainerRun.run(new Containers(work.resolve("state")), "old-kernel", bundle.write(), EngineChoice.AUTO);
    }

    @Test
    void theAutomaticChoiceIsTheCloneEngine() throws Exception {
        var containers = new Containers(work.resolve("state"));
        Container container = containers.create(
                "choice", TestBundle.create(work.resolve("b")).args("true").write(), CreateOptions.defaults());
        try {
            assertEquals("clone", container.engine());
        } finally {
            container.delete(true);
        }
    }

    @Test
    void procShowsTheContainersPidNamespaceWithItsMasksAndReadonlyPaths() throws Exception {
        var outcome = run(TestBundle.create(work.resolve("b"))
                .shell("echo $$; echo /proc/[0-9]*; wc -c < /proc/timer_list; echo 1 > /proc/sys/kernel/domainname"));
        assertEquals("1\n/proc/1\n0\n", outcome.stdout(), outcome.stderr());
        assertTrue(outcome.stderr().contains("Read-only file system"), outcome.stderr());
    }

    @Test
    void inAUserNamespaceToo() throws Exception {
        var bundle = TestBundle.create(work.resolve("b")).namespace("user").edit(config -> {
            ObjectNode linux = (ObjectNode) config.get("linux");
            for (String field : new String[] {"uidMappings", "gidMappings"}) {
                ((ArrayNode) linux.putArray(field))
                        .addObject()
                        .put("containerID", 0)
                        .put("hostID", 200000)
                        .put("size", 65536);
            }
        });
        var outcome = run(bundle.shell("echo $$; echo /proc/[0-9]*; id -u; awk '{print $2}' /proc/self/uid_map"));
        assertEquals("1\n/proc/1\n0\n200000\n", outcome.stdout(), outcome.stderr());
    }
}
