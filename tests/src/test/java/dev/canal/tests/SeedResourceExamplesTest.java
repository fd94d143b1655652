package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.cgroup.CgroupPath;
import dev.canal.runtime.cgroup.Cgroups;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.ResourceMeasurements;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The seed's three examples through {@code canal run}, shown by measurement on the real kernel
 * (docs/resources.md): {@code --cpu-shares} divides one CPU, {@code -m} OOM-kills what allocates
 * past it, {@code --device-read-bps} slows O_DIRECT reads from a loop device to its rate; and
 * {@code canal stats} shows the limit and the I/O. The commands run in a private mount namespace,
 * as in {@link ContainerCommandsTest}, and leave nothing behind.
 */
@RequiresRoot
class SeedResourceExamplesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final CgroupLayout CGROUPS = CgroupLayout.detect();

    private static final long MIB = 1024 * 1024;

    @TempDir
    static Path work;

    private static Path store;
    private static Path execRoot;
    private static PrivateMountNamespace namespace;

    @BeforeAll
    static void importBusyboxInAPrivateMountNamespace() throws Exception {
        store = work.resolve("store");
        execRoot = work.resolve("exec");
        namespace = PrivateMountNamespace.create();
        var imported = canal("import", BusyboxTar.create(work).toString(), "bb");
        assertEquals(0, imported.exitCode(), imported.stderr());
    }

    @AfterAll
    static void leaveTheNamespace() throws InterruptedException {
        namespace.close();
    }

    @AfterEach
    void nothingLeft() throws Exception {
        ContainerCommandsTest.assertNothingLeft(store, execRoot, namespace);
    }

    private static CanalHome.Result canal(String... args) throws Exception {
        return namespace.run(ContainerCommandsTest.canalCommand(store, execRoot, args), Map.of());
    }

    private static String ok(String... args) throws Exception {
        var result = canal(args);
        assertEquals(0, result.exitCode(), String.join(" ", args) + ": " + result.stderr());
        return result.stdout().strip();
    }

    private static JsonNode state(String container) throws Exception {
        return JSON.readTree(ok("inspect", container)).get(0).get("State");
    }

    /** The cells of {@code container}'s line of {@code canal stats --no-stream}, by column name. */
    static Map<String, String> statsLine(String statsOutput, String container) {
        List<String> lines = statsOutput.lines().toList();
        // Columns are at least three spaces apart; a cell has at most single spaces ("1MiB / 32MiB").
        List<String> header = List.of(lines.getFirst().split(" {2,}"));
        assertEquals(
                List.of("CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS"),
                header);
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = List.of(line.split(" {2,}"));
            if (cells.get(1).equals(container)) {
                var byColumn = new LinkedHashMap<String, String>();
                for (int i = 0; i < header.size(); i++) {
                    byColumn.put(header.get(i), cells.get(i));
                }
                return byColumn;
            }
        }
        throw new AssertionError("no line for " + container + " in:\n" + statsOutput);
    }

    /** The CPU time the container's cgroup has used, in nanoseconds (cpuacct.usage, cpu.stat usage_usec). */
    private static long cpuUsage(String id) {
        return Cgroups.open(CGROUPS, CgroupPath.DEFAULT_PARENT + "/" + id)
                .stats()
                .cpu()
                .usage()
                .total();
    }

    @Test
    void cpuSharesSplitOneCpuByTheirWeights() throws Exception {
        String heavy = ok(
                "run",
                "-d",
                "--name",
                "heavy",
                "--cpu-shares",
                "1024",
                "--cpuset-cpus",
                "0",
                "bb",
                "sh",
                "-c",
                ResourceMeasurements.BUSY_LOOP);
        try {
            String light = ok(
                    "run",
                    "-d",
                    "--name",
                    "light",
                    "--cpu-shares",
                    "256",
                    "--cpuset-cpus",
                    "0",
                    "bb",
                    "sh",
                    "-c",
                    ResourceMeasurements.BUSY_LOOP);
            long heavyWeight = ResourceMeasurements.cpuWeight(CGROUPS, CgroupPath.DEFAULT_PARENT + "/" + heavy);
            long lightWeight = ResourceMeasurements.cpuWeight(CGROUPS, CgroupPath.DEFAULT_PARENT + "/" + light);
            // v1 takes the shares as they are; v2 gets runc's and crun's weights for them.
            assertEquals(CGROUPS.limitsOnV2() ? 100 : 1024, heavyWeight);
            assertEquals(CGROUPS.limitsOnV2() ? 35 : 256, lightWeight);
            ResourceMeasurements.assertSplitByWeight(
                    heavyWeight, () -> cpuUsage(heavy), lightWeight, () -> cpuUsage(light));

            // canal stats sees the same split: over its one-second sample the heavier one has more.
            String stats = ok("stats", "--no-stream", "heavy", "light");
            double heavyPercent = percent(statsLine(stats, "heavy").get("CPU %"));
            double lightPercent = percent(statsLine(stats, "light").get("CPU %"));
            assertTrue(heavyPercent > lightPercent && lightPercent > 0, stats);
        } finally {
            canal("rm", "-f", "heavy", "light");
        }
    }

    private static double percent(String cell) {
        return Double.parseDouble(cell.substring(0, cell.length() - 1));
    }

    @Test
    void aMemoryLimitOomKillsWhatAllocatesPastItAndOnlyThat() throws Exception {
        // --memory-swap as much as -m: no swap to spill into, whether the machine has any or not.
        String limit = ResourceMeasurements.MEMORY_LIMIT / MIB + "m";
        try {
            var over = canal(
                    "run",
                    "--name",
                    "over",
                    "-m",
                    limit,
                    "--memory-swap",
                    limit,
                    "bb",
                    "sh",
                    "-c",
                    ResourceMeasurements.allocate(ResourceMeasurements.OVER_THE_LIMIT));
            assertEquals(137, over.exitCode(), "SIGKILLed by the OOM killer: " + over.stderr());
            JsonNode killed = state("over");
            assertTrue(killed.get("OOMKilled").asBoolean(), killed.toString());
            assertEquals(137, killed.get("ExitCode").asInt());

            var under = canal(
                    "run",
                    "--name",
                    "under",
                    "-m",
                    limit,
                    "--memory-swap",
                    limit,
                    "bb",
                    "sh",
                    "-c",
                    ResourceMeasurements.allocate(ResourceMeasurements.UNDER_THE_LIMIT));
            assertEquals(0, under.exitCode(), under.stderr());
            assertFalse(state("under").get("OOMKilled").asBoolean());

            // canal stats shows the limit as the memory column's second half.
            ok("run", "-d", "--name", "limited", "-m", limit, "bb", "sleep", "600");
            String stats = ok("stats", "--no-stream", "limited");
            assertTrue(statsLine(stats, "limited").get("MEM USAGE / LIMIT").endsWith(" / 32MiB"), stats);
        } finally {
            canal("rm", "-f", "over", "under", "limited");
        }
    }

    @Test
    void aReadThrottleHoldsDirectReadsFromALoopDeviceToItsRate() throws Exception {
        try (var loop = LoopFilesystem.mount(namespace.pid(), work.resolve("loop"), 32 * MIB)) {
            String volume = loop.mountPoint() + ":/data";
            String throttle = loop.device() + ":1mb";
            try {
                // The unthrottled container writes the file (O_DIRECT, so it is on the device and not only
                // in the page cache), then reads it back; the throttled one reads the same blocks.
                var unthrottled = canal(
                        "run",
                        "--rm",
                        "-v",
                        volume,
                        "bb",
                        "sh",
                        "-c",
                        "dd if=/dev/zero of=/data/file bs=64k count=48 oflag=direct 2>/dev/null && "
                                + ResourceMeasurements.timedDirectRead("/data/file"));
                assertEquals(0, unthrottled.exitCode(), unthrottled.stderr());
                var throttled = canal(
                        "run",
                        "--rm",
                        "--device-read-bps",
                        throttle,
                        "-v",
                        volume,
                        "bb",
                        "sh",
                        "-c",
                        ResourceMeasurements.timedDirectRead("/data/file"));
                assertEquals(0, throttled.exitCode(), throttled.stderr());
                ResourceMeasurements.assertThrottledToOneMib(throttled.stderr(), unthrottled.stderr());

                // canal stats counts the reads as the container's block I/O.
                ok(
                        "run",
                        "-d",
                        "--name",
                        "reader",
                        "--device-read-bps",
                        throttle,
                        "-v",
                        volume,
                        "bb",
                        "sh",
                        "-c",
                        "dd if=/data/file of=/dev/null bs=64k count=8 iflag=direct; sleep 600");
                String stats =
                        awaitStats("reader", line -> !line.get("BLOCK I/O").startsWith("0B /"));
                assertFalse(
                        statsLine(stats, "reader").get("BLOCK I/O").startsWith("0B /"), "no reads counted: " + stats);
            } finally {
                canal("rm", "-f", "reader");
            }
        }
    }

    /** {@code canal stats --no-stream container} until its line satisfies {@code done}, at most 30 times. */
    private static String awaitStats(String container, Predicate<Map<String, String>> done) throws Exception {
        String stats = ok("stats", "--no-stream", container);
        for (int attempt = 0; attempt < 30 && !done.test(statsLine(stats, container)); attempt++) {
            stats = ok("stats", "--no-stream", container);
        }
        return stats;
    }
}
