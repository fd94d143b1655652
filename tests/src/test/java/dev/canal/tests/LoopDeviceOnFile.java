package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A block device for tests that limit block I/O: a loop device (loop(4)) over a sparse file in
 * the test's own directory, attached with losetup(8) and detached on close, so no test ever
 * touches one of the machine's disks.
 */
final class LoopDeviceOnFile implements AutoCloseable {

    private final String device;

    private LoopDeviceOnFile(String device) {
        this.device = device;
    }

    /** Attaches a free loop device to a new sparse file of {@code bytes} in {@code directory}. */
    static LoopDeviceOnFile attach(Path directory, long bytes) throws IOException, InterruptedException {
        Path file = directory.resolve("loop-backing.img");
        try (var backing = new RandomAccessFile(file.toFile(), "rw")) {
            backing.setLength(bytes);
        }
        var attached = CanalHome.run(List.of("losetup", "--find", "--show", file.toString()), Map.of(), 30);
        assertEquals(0, attached.exitCode(), attached.stderr());
        return new LoopDeviceOnFile(attached.stdout().strip());
    }

    /** The device's path, /dev/loopN. */
    String path() {
        return device;
    }

    /** Its major:minor, as sysfs shows it and the cgroup files write it. */
    String majorMinor() throws IOException {
        return Files.readString(Path.of(
                        "/sys/class/block", Path.of(device).getFileName().toString(), "dev"))
                .strip();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        var detached = CanalHome.run(List.of("losetup", "--detach", device), Map.of(), 30);
        assertEquals(0, detached.exitCode(), detached.stderr());
    }
}
