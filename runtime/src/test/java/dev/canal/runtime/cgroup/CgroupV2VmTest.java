package dev.canal.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Canal's cgroup v2 code on a real cgroup v2 hierarchy: scripts/cgroup-v2-vm boots a VM whose
 * only cgroup mount is cgroup2 and runs {@link CgroupV2VmChecks} there on this JVM's class path.
 * Slow (minutes under TCG), so it runs apart from the quick cgroup tests.
 */
@RequiresRoot
class CgroupV2VmTest {

    private static final List<String> CHECKS = List.of(
            "oom-kill",
            "pids-max",
            "freeze",
            "stats",
            "device-filter",
            "kill-all",
            "v2-files",
            "cpu-weight",
            "oom-under",
            "read-bps");

    @Test
    void theV2ChecksPassInsideTheVm() throws Exception {
        Path out = Path.of("target", "cgroup-v2-vm").toAbsolutePath();
        Path script = Path.of("..", "scripts", "cgroup-v2-vm").toAbsolutePath().normalize();
        var command = new ArrayList<>(List.of(
                script.toString(),
                out.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                System.getProperty("java.class.path"),
                CgroupV2VmChecks.class.getName()));
        Process vm = new ProcessBuilder(command).redirectErrorStream(true).start();
        String scriptOutput = new String(vm.getInputStream().readAllBytes());
        assertTrue(vm.waitFor(15, TimeUnit.MINUTES), "the VM did not finish");
        Path output = out.resolve("output");
        String checks = Files.exists(output) ? Files.readString(output) : "(no output)";
        assertEquals(0, vm.exitValue(), "the VM run failed:\n" + scriptOutput + checks);
        for (String check : CHECKS) {
            assertTrue(checks.contains("PASS " + check + "\n"), check + " did not pass:\n" + checks);
        }
    }
}
