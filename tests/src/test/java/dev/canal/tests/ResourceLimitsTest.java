package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.testing.LoopDevice;
import dev.canal.runtime.testing.RequiresRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * docker's resource flags on {@code canal run}, {@code canal create} and {@code canal update},
 * checked where the kernel keeps them: the container's own cgroup files, read from inside it
 * (v1's per-controller files, or v2's). Block I/O limits go on a loop device over a file in
 * a temporary file ({@link LoopDevice}), never on a disk of the machine. Every command
 * runs in a private mount namespace; after each test nothing is left.
 */
@RequiresRoot
class ResourceLimitsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final boolean V2 = CgroupLayout.detect().limitsOnV2();

    /**
     * The container's cpu weight, memory limit, read throttles, pids limit and /dev/shm size, as
     * cgroup v1 or v2 name them.
     */
    static final String READ_LIMITS = String.join(
            "; ",
            "cat /sys/fs/cgroup/cpu/cpu.shares 2>/dev/null || cat /sys/fs/cgroup/cpu.weight",
            "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max",
            "cat /sys/fs/cgroup/blkio/blkio.throttle.read_bps_device 2>/dev/null || cat /sys/fs/cgroup/io.max",
            "cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max",
            "df -k /dev/shm | tail -n 1");

    @TempDir
    static Path work;

    private static Path store;
    private static Path execRoot;
    private static PrivateMountNamespace namespace;
    private static LoopDevice loop;

    @BeforeAll
    static void busyboxAndALoopDevice() throws Exception {
        store = work.resolve("store");
        execRoot = work.resolve("exec");
        namespace = PrivateMountNamespace.create();
        var imported = canal("import", BusyboxTar.create(work).toString(), "bb:1");
        assertEquals(0, imported.exitCode(), imported.stderr());
        loop = new LoopDevice(16L << 20);
    }

    @AfterAll
    static void detachAndLeave() throws Exception {
        if (loop != null) {
            loop.close();
        }
        namespace.close();
    }

    @AfterEach
    void nothingLeft() throws IOException {
        ContainerCommandsTest.assertNothingLeft(store, execRoot, namespace);
    }

    private static CanalHome.Result canal(String... args) throws Exception {
        return namespace.run(ContainerCommandsTest.canalCommand(store, execRoot, args), Map.of());
    }

    private static String ok(String... args) throws Exception {
        var result = canal(args);
        assertEquals(0, result.exitCode(), String.join(" ", args) + ": " + result.stderr());
        return result.stdout();
    }

    /** A read throttle line of blkio.throttle.read_bps_device (v1) or io.max (v2) for {@code device}. */
    static String readThrottle(LoopDevice device, long bytesPerSecond) {
        return device.major() + ":" + device.minor()
                + (V2 ? " rbps=" + bytesPerSecond + " wbps=max riops=max wiops=max" : " " + bytesPerSecond);
    }

    @Test
    void runWritesTheFlagsIntoTheContainersCgroup() throws Exception {
        String limits = ok(
                "run",
                "--rm",
                "--cpu-shares",
                "512",
                "--memory",
                "64m",
                "--device-read-bps",
                loop.device() + ":1mb",
                "--pids-limit",
                "20",
                "--shm-size",
                "8m",
                "bb:1",
                "sh",
                "-c",
                READ_LIMITS);
        List<String> lines = limits.lines().toList();
        // v2 has cpu.weight: runc's and crun's curve takes shares 512 to 59 (1024 to 100).
        assertEquals(V2 ? "59" : "512", lines.get(0), limits);
        assertEquals("67108864", lines.get(1), limits);
        assertEquals(readThrottle(loop, 1L << 20), lines.get(2), limits);
        assertEquals("20", lines.get(3), limits);
        assertTrue(lines.get(4).matches("shm +8192 .*"), "--shm-size 8m: " + limits);
    }

    @Test
    void createKeepsTheFlagsAndInspectShowsThemAsDockerDoes() throws Exception {
        String id = ok(
                        "create",
                        "--name",
                        "limited",
                        "-c",
                        "300",
                        "-m",
                        "32m",
                        "--blkio-weight",
                        "200",
                        "--device-write-iops",
                        loop.device() + ":40",
                        "--ulimit",
                        "nofile=100:200",
                        "bb:1",
                        "true")
                .strip();
        try {
            JsonNode host = JSON.readTree(ok("inspect", "limited")).get(0).path("HostConfig");
            assertEquals(300, host.path("CpuShares").asLong());
            assertEquals(32L << 20, host.path("Memory").asLong());
            assertEquals(64L << 20, host.path("MemorySwap").asLong(), "twice the memory, as docker");
            assertEquals(200, host.path("BlkioWeight").asInt());
            assertEquals(
                    loop.device(),
                    host.path("BlkioDeviceWriteIOps").path(0).path("Path").asString());
            assertEquals(
                    40, host.path("BlkioDeviceWriteIOps").path(0).path("Rate").asLong());
            assertEquals(67108864L, host.path("ShmSize").asLong(), "docker's default /dev/shm");
            assertEquals("nofile", host.path("Ulimits").path(0).path("Name").asString());
            assertTrue(id.matches("[0-9a-f]{64}"), id);
        } finally {
            ok("rm", "limited");
        }
    }

    @Test
    void updateChangesARunningContainerAndARestartKeepsIt() throws Exception {
        ok("run", "-d", "--name", "updated", "-m", "64m", "bb:1", "sleep", "600");
        try {
            assertEquals(
                    "updated\n",
                    ok(
                            "update",
                            "--cpu-shares",
                            "2048",
                            "--memory",
                            "96m",
                            "--memory-swap",
                            "192m",
                            "--device-read-bps",
                            loop.device() + ":2mb",
                            "updated"));
            String expected = (V2 ? "174" : "2048") + "\n" + (96L << 20) + "\n" + readThrottle(loop, 2L << 20);
            assertEquals(expected, firstLines(ok("exec", "updated", "sh", "-c", READ_LIMITS), 3));
            ok("restart", "-t", "1", "updated");
            assertEquals(
                    expected,
                    firstLines(ok("exec", "updated", "sh", "-c", READ_LIMITS), 3),
                    "the record keeps the update for the next start");

            var tooBig = canal("update", "--memory", "300m", "updated");
            assertEquals(1, tooBig.exitCode());
            assertEquals(
                    "canal: -m 314572800: Memory limit should be smaller than already set memoryswap limit,"
                            + " update the memoryswap at the same time\n",
                    tooBig.stderr());
        } finally {
            ok("rm", "-f", "updated");
        }
    }

    private static String firstLines(String text, int count) {
        return String.join("\n", text.lines().limit(count).toList());
    }

    @Test
    void badValuesFailWithOneLineAndLeaveNothing() throws Exception {
        List<String> cgroupsBefore = canalCgroups();
        assertOneLine(
                "canal: --cpus and --cpu-period: Conflicting options: Nano CPUs and CPU Period cannot both be set",
                "--cpus",
                "0.5",
                "--cpu-period",
                "50000");
        assertOneLine(
                "canal: --memory-swap 33554432: Minimum memoryswap limit should be larger than memory limit, see usage",
                "-m",
                "64m",
                "--memory-swap",
                "32m");
        assertOneLine("canal: --blkio-weight 5: Range of blkio weight is from 10 to 1000", "--blkio-weight", "5");
        assertOneLine(
                "canal: --device-read-bps /dev/null: not a block device but a character special file 1:3",
                "--device-read-bps",
                "/dev/null:1mb");
        assertOneLine(
                "canal: --device-read-bps /dev/no-such-disk: no such device",
                "--device-read-bps",
                "/dev/no-such-disk:1mb");
        assertOneLine(
                "canal: --device-read-iops " + loop.device() + ":fast: invalid rate for device,"
                        + " the correct format is PATH:NUMBER with a number of 0 or more",
                "--device-read-iops",
                loop.device() + ":fast");
        assertEquals(cgroupsBefore, canalCgroups(), "no cgroup made for a refused container");
    }

    private static void assertOneLine(String message, String... flags) throws Exception {
        var command = Stream.concat(
                        Stream.of("run", "--rm"), Stream.concat(Stream.of(flags), Stream.of("bb:1", "true")))
                .toArray(String[]::new);
        var result = canal(command);
        assertEquals(125, result.exitCode(), result.stderr());
        assertEquals(message + "\n", result.stderr());
        assertEquals("", result.stdout());
    }

    /** The cgroups under Canal's parent in every hierarchy. */
    private static List<String> canalCgroups() throws IOException {
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            return hierarchies
                    .map(hierarchy -> hierarchy.resolve("canal"))
                    .filter(Files::isDirectory)
                    .flatMap(parent -> {
                        try (Stream<Path> children = Files.list(parent)) {
                            return children.filter(Files::isDirectory).map(Path::toString).toList().stream();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sorted()
                    .toList();
        }
    }
}
