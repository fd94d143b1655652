package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.canal.runtime.testing.LoopDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An ext4 file system on a loop device of the test's own ({@link LoopDevice}: never the
 * machine's disk), mounted in the mount namespace of process {@code namespacePid} only (entered
 * with nsenter(1)), so a container can have a volume on a block device the test may throttle.
 * Unmounted and detached on close.
 */
final class LoopFilesystem implements AutoCloseable {

    private final LoopDevice loop;
    private final Path mountPoint;
    private final long namespacePid;

    private LoopFilesystem(LoopDevice loop, Path mountPoint, long namespacePid) {
        this.loop = loop;
        this.mountPoint = mountPoint;
        this.namespacePid = namespacePid;
    }

    /** Makes a {@code bytes} loop device, mkfs.ext4(8) on it, and mounts it at {@code mountPoint}. */
    static LoopFilesystem mount(long namespacePid, Path mountPoint, long bytes) throws Exception {
        var loop = new LoopDevice(bytes);
        try {
            run(List.of("mkfs.ext4", "-q", loop.device()));
            Files.createDirectories(mountPoint);
            run(inNamespace(namespacePid, "mount", loop.device(), mountPoint.toString()));
            return new LoopFilesystem(loop, mountPoint, namespacePid);
        } catch (Throwable e) {
            loop.close();
            throw e;
        }
    }

    /** The device's path, /dev/loopN, as --device-read-bps takes it. */
    String device() {
        return loop.device();
    }

    Path mountPoint() {
        return mountPoint;
    }

    private static List<String> inNamespace(long pid, String... command) {
        var entering = new java.util.ArrayList<>(List.of("nsenter", "-t", Long.toString(pid), "-m", "--"));
        entering.addAll(List.of(command));
        return entering;
    }

    private static void run(List<String> command) throws Exception {
        var result = CanalHome.run(command, Map.of(), 60);
        assertEquals(0, result.exitCode(), command + ": " + result.stderr());
    }

    @Override
    public void close() throws Exception {
        try {
            run(inNamespace(namespacePid, "umount", mountPoint.toString()));
        } finally {
            loop.close();
        }
    }
}
