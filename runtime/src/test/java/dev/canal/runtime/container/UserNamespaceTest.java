package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.testing.ContainerRun;
import dev.canal.runtime.testing.HostSnapshot;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.TestBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Containers with their own user namespace: only the clone engine can create them. */
@RequiresRoot
class UserNamespaceTest {

    @TempDir
    Path work;

    private TestBundle bundleWithUserNamespace(int mappings) throws Exception {
        return TestBundle.create(work.resolve("bundle")).namespace("user").edit(config -> {
            ObjectNode linux = (ObjectNode) config.get("linux");
            for (String field : new String[] {"uidMappings", "gidMappings"}) {
                ArrayNode ranges = linux.putArray(field);
                for (int i = 0; i < mappings; i++) {
                    ranges.addObject()
                            .put("containerID", i * 10)
                            .put("hostID", 100000 + i * 10)
                            .put("size", i == 0 && mappings == 1 ? 65536 : 10);
                }
            }
        });
    }

    @Test
    void rootInsideIsAMappedUserOutside() throws Exception {
        var bundle = bundleWithUserNamespace(1).shell("cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g");
        var outcome =
                ContainerRun.run(new Containers(work.resolve("state")), "userns", bundle.write(), EngineChoice.AUTO);
        assertEquals(0, outcome.exitCode(), outcome.stderr());
        String[] lines = outcome.stdout().split("\n");
        assertEquals("0 100000 65536", lines[0].trim().replaceAll("\\s+", " "));
        assertEquals("0 100000 65536", lines[1].trim().replaceAll("\\s+", " "));
        assertEquals("0", lines[2]);
        assertEquals("0", lines[3]);
    }

    @Test
    void theThreadEngineRefusesAUserNamespace() throws Exception {
        Path bundle = bundleWithUserNamespace(1).write();
        var error = assertThrows(
                IllegalArgumentException.class,
                () -> new Containers(work.resolve("state"))
                        .create("userns", bundle, new CreateOptions(EngineChoice.THREAD, Stdio.inherit())));
        assertTrue(
                error.getMessage().startsWith("the thread engine cannot create or join a user namespace"),
                error.getMessage());
        assertFalse(Files.exists(work.resolve("state/userns")));
    }

    @Test
    void aMapTheKernelRefusesIsNamedAndLeavesNothing() throws Exception {
        // The kernel takes at most 340 lines per map (user_namespaces(7)); the config is valid.
        Path bundle = bundleWithUserNamespace(341).write();
        HostSnapshot before = HostSnapshot.take();
        var error = assertThrows(
                RuntimeException.class,
                () -> new Containers(work.resolve("state"))
                        .create("userns", bundle, new CreateOptions(EngineChoice.AUTO, Stdio.inherit())));
        assertTrue(
                error.getMessage()
                        .contains(
                                "linux.uidMappings: the kernel refused the map (341 ranges, the first 0 100000 10): write(fd "),
                error.getMessage());
        assertTrue(error.getMessage().endsWith("EINVAL (Invalid argument)"), error.getMessage());
        assertFalse(error.getMessage().contains("\n"));
        assertEquals(before, HostSnapshot.take());
        assertFalse(Files.exists(work.resolve("state/userns")));
    }
}
