package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.canal.runtime.testing.RequiresRoot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How bin/canal answers a user it cannot serve: an unknown command, a user without root. */
class CanalCommandLineTest {

    @Test
    void anUnknownCommandIsTwoLinesAsDockerSaysIt() throws Exception {
        var result = CanalHome.run("canal", Map.of(), "network", "ls");
        assertEquals(1, result.exitCode());
        assertEquals("canal: 'network' is not a canal command.\nSee 'canal --help'.\n", result.stderr());
        assertEquals("", result.stdout());
    }

    /** As user nobody (setpriv(1)), which can read the tree but not the store. */
    @Test
    @RequiresRoot
    void aUserWithoutRootIsToldCanalNeedsRoot() throws Exception {
        var command = List.of(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                CanalHome.ROOT.resolve("bin/canal").toString(),
                "images");
        var result = CanalHome.run(command, Map.of(), 60);
        assertEquals(1, result.exitCode(), result.stderr());
        assertEquals(
                "canal: canal needs root (namespaces, mounts, cgroups and the store under /var/lib/canal): "
                        + "run it as root, e.g. sudo canal images\n",
                result.stderr());
        assertEquals("", result.stdout());
    }
}
