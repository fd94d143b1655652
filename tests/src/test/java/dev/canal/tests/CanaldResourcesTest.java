package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.LoopDevice;
import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker's resource flags through canald, with the real docker CLI: {@code docker run} sends
 * them in HostConfig, {@code docker inspect} shows them back, and {@code docker update} changes
 * a running container's cgroup (POST /containers/{id}/update), read from inside the container.
 */
@RequiresRoot
class CanaldResourcesTest {

    private static final String IMAGE = "canald-busybox";

    private static PrivateCanald canald;
    private static LoopDevice loop;

    @BeforeAll
    static void canaldAndALoopDevice() throws Exception {
        loop = new LoopDevice(16L << 20);
        canald = PrivateCanald.startWithImage(IMAGE);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (canald != null) {
                canald.close();
            }
        } finally {
            loop.close();
        }
    }

    @Test
    void dockerUpdateChangesARunningContainersLimits() throws Exception {
        String id = canald.succeeds(
                "run",
                "-d",
                "--name",
                "updated",
                "--cpu-shares",
                "512",
                "--memory",
                "64m",
                "--device-read-bps",
                loop.device() + ":1mb",
                IMAGE,
                "sleep",
                "600");
        try {
            assertEquals(
                    "512 67108864 134217728 " + loop.device() + " 1048576 67108864",
                    canald.succeeds(
                            "inspect",
                            "--format",
                            "{{.HostConfig.CpuShares}} {{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}"
                                    + " {{(index .HostConfig.BlkioDeviceReadBps 0).Path}}"
                                    + " {{(index .HostConfig.BlkioDeviceReadBps 0).Rate}} {{.HostConfig.ShmSize}}",
                            "updated"));
            assertEquals(
                    (ResourceLimitsTest.V2 ? "59" : "512") + "\n" + (64L << 20) + "\n"
                            + ResourceLimitsTest.readThrottle(loop, 1L << 20),
                    limits());

            assertEquals(
                    "updated",
                    canald.succeeds(
                            "update", "--cpu-shares", "2048", "--memory", "96m", "--memory-swap", "192m", "updated"));
            assertEquals(
                    (ResourceLimitsTest.V2 ? "174" : "2048") + "\n" + (96L << 20) + "\n"
                            + ResourceLimitsTest.readThrottle(loop, 1L << 20),
                    limits());
            assertEquals(
                    "2048 100663296",
                    canald.succeeds(
                            "inspect", "--format", "{{.HostConfig.CpuShares}} {{.HostConfig.Memory}}", "updated"));

            var refused = canald.docker("update", "--memory", "1m", "updated");
            assertEquals(1, refused.exitCode());
            assertTrue(
                    refused.stderr()
                            .contains("Error response from daemon: -m 1048576: the minimum memory limit is 6MB"),
                    refused.stderr());
            assertEquals(
                    (96L << 20) + "",
                    limits().lines().skip(1).findFirst().orElseThrow(),
                    "a refused update changes nothing");
            assertTrue(id.matches("[0-9a-f]{64}"), id);
        } finally {
            canald.succeeds("rm", "-f", "updated");
        }
        assertEquals(0, PrivateCanald.cgroupsOf(id).size(), "rm -f removes the container's cgroups");
        assertTrue(Files.notExists(canald.work().resolve("data/containers").resolve(id)));
    }

    @Test
    void dockerUpdateChangesTheRestartPolicyButNotOfAnAutoRemovedContainer() throws Exception {
        canald.succeeds("create", "--name", "policy", IMAGE, "true");
        try {
            assertEquals("policy", canald.succeeds("update", "--restart", "on-failure:3", "policy"));
            assertEquals(
                    "on-failure 3",
                    canald.succeeds(
                            "inspect",
                            "--format",
                            "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}",
                            "policy"));
        } finally {
            canald.succeeds("rm", "policy");
        }
        canald.succeeds("create", "--rm", "--name", "removed", IMAGE, "true");
        try {
            var refused = canald.docker("update", "--restart", "always", "removed");
            assertEquals(1, refused.exitCode());
            assertTrue(
                    refused.stderr()
                            .contains(
                                    "Restart policy cannot be updated because AutoRemove is enabled for the container"),
                    refused.stderr());
        } finally {
            canald.succeeds("rm", "removed");
        }
    }

    /** The first three of {@link ResourceLimitsTest#READ_LIMITS}: cpu weight, memory limit, read throttles. */
    private static String limits() throws Exception {
        return String.join(
                "\n",
                canald.succeeds("exec", "updated", "sh", "-c", ResourceLimitsTest.READ_LIMITS)
                        .lines()
                        .limit(3)
                        .toList());
    }
}
