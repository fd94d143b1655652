package dev.canal.runtime.container;

import static dev.canal.runtime.container.FakeStateDirectories.ownStartTime;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container's status is worked out from its recorded pid and that process's start time
 * (docs/start-time.md): a pid that now names another process, one started at another time,
 * means the container's own process is gone.
 */
class ReusedPidTest {

    @TempDir
    Path root;

    @Test
    void aPidThatNowNamesAnotherProcessIsStopped() throws Exception {
        Path directory = FakeStateDirectories.write(root, "reused", ownStartTime() + 1);
        Files.createFile(
                directory.resolve(HeldMarker.NAME)); // would say "created" if the process were the recorded one
        Container container = new Containers(root).load("reused");
        assertEquals(ContainerStatus.STOPPED, container.status());
        assertEquals(0, container.state().pid(), "a stopped container has no pid, as runc reports it");
        assertEquals(ContainerStatus.STOPPED, container.state().status());
    }

    @Test
    void theRecordedProcessWithItsStartTimeIsNotStopped() throws Exception {
        Path directory = FakeStateDirectories.write(root, "alive", ownStartTime());
        Files.createFile(directory.resolve(HeldMarker.NAME));
        assertEquals(ContainerStatus.CREATED, new Containers(root).load("alive").status());
    }
}
