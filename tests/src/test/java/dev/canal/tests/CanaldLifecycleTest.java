package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What canald's own life does to its containers, each test with a canald of its own
 * ({@link PrivateCanald}): a SIGTERM stops them as dockerd does (their stop signal, then SIGKILL
 * after their stop timeout), and a canald killed with SIGKILL leaves them running for the next
 * canald on the same data root to adopt, recording the exit of those that ended meanwhile.
 */
@RequiresRoot
class CanaldLifecycleTest {

    private static final String IMAGE = "canald-busybox";

    @Test
    void sigtermStopsTheContainersAndTheDaemonCleanly() throws Exception {
        try (var canald = PrivateCanald.startWithImage(IMAGE)) {
            String id = canald.succeeds("run", "-d", "--stop-timeout", "1", IMAGE, "sleep", "600");
            long pid = Long.parseLong(canald.succeeds("inspect", "--format", "{{.State.Pid}}", id));

            canald.process().destroy();
            assertTrue(canald.process().waitFor(60, TimeUnit.SECONDS), "canald did not stop on SIGTERM");
            assertEquals(0, canald.process().exitValue(), canald.log());
            assertFalse(
                    ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the container outlived canald");
            assertEquals(List.of(), PrivateCanald.cgroupsOf(id));
            assertFalse(Files.exists(canald.work().resolve("canald.sock")), "the socket is left");

            canald.start();
            assertEquals(
                    "exited 137", canald.succeeds("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", id));
        }
    }

    @Test
    void aRestartedDaemonAdoptsWhatAKilledOneLeftRunning() throws Exception {
        try (var canald = PrivateCanald.startWithImage(IMAGE)) {
            String survivor = canald.succeeds("run", "-d", IMAGE, "sleep", "600");
            String ended = canald.succeeds("run", "-d", IMAGE, "sleep", "600");
            long survivorPid = Long.parseLong(canald.succeeds("inspect", "--format", "{{.State.Pid}}", survivor));
            long endedPid = Long.parseLong(canald.succeeds("inspect", "--format", "{{.State.Pid}}", ended));

            canald.process().destroyForcibly().waitFor();
            ProcessHandle.of(endedPid).orElseThrow().destroyForcibly();
            assertTrue(ProcessHandle.of(survivorPid).orElseThrow().isAlive(), "a crash of canald killed its container");

            canald.start();
            assertEquals(
                    "running " + survivorPid,
                    canald.succeeds("inspect", "--format", "{{.State.Status}} {{.State.Pid}}", survivor));
            assertEquals("exited", canald.succeeds("inspect", "--format", "{{.State.Status}}", ended));
            assertEquals("inside", canald.succeeds("exec", survivor, "echo", "inside"));

            canald.succeeds("stop", "-t", "1", survivor);
            assertEquals("exited", canald.succeeds("inspect", "--format", "{{.State.Status}}", survivor));
            canald.succeeds("rm", survivor, ended);
            for (String id : List.of(survivor, ended)) {
                assertEquals(List.of(), PrivateCanald.cgroupsOf(id));
                assertFalse(canald.mounts().contains(id), canald.mounts());
                assertFalse(Files.exists(canald.work().resolve("data/containers/" + id)));
            }
        }
    }
}
