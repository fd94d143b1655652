package dev.canal.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.canal.engine.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** docker's resource flags as canal create and canal update read them, before the engine checks them. */
class ResourceFlagsTest {

    private static CreateOptions create(String... args) {
        var command = new CreateCommand();
        new CommandLine(command).parseArgs(args);
        return command.options;
    }

    private static Resources update(String... args) {
        var command = new UpdateCommand();
        new CommandLine(command).parseArgs(args);
        return command.limits.resources();
    }

    @Test
    void theFlagsBecomeTheHostConfigsResources() {
        Resources resources = create(
                        "-c",
                        "512",
                        "--cpus",
                        "1.5",
                        "--cpuset-cpus",
                        "0-1",
                        "-m",
                        "32m",
                        "--memory-swap",
                        "-1",
                        "--memory-reservation",
                        "16m",
                        "--oom-kill-disable",
                        "--pids-limit",
                        "30",
                        "--blkio-weight",
                        "300",
                        "--blkio-weight-device",
                        "/dev/sda:200",
                        "--device-read-bps",
                        "/dev/loop3:1mb",
                        "--device-write-iops",
                        "/dev/loop3:50",
                        "--ulimit",
                        "nofile=100:200",
                        "--ulimit",
                        "nproc=50",
                        "--shm-size",
                        "8m",
                        "bb",
                        "true")
                .containerSpec()
                .host()
                .resources();
        assertEquals(new Resources.Cpu(512, 1_500_000_000L, 0, 0, "0-1", ""), resources.cpu());
        assertEquals(new Resources.Memory(32L << 20, -1, 16L << 20, true), resources.memory());
        assertEquals(30L, resources.pidsLimit());
        assertEquals(
                new Resources.BlockIo(
                        300,
                        List.of(new Resources.WeightDevice("/dev/sda", 200)),
                        List.of(new Resources.ThrottleDevice("/dev/loop3", 1L << 20)),
                        List.of(),
                        List.of(),
                        List.of(new Resources.ThrottleDevice("/dev/loop3", 50))),
                resources.blockIo());
        assertEquals(
                List.of(new Resources.Ulimit("nofile", 100, 200), new Resources.Ulimit("nproc", 50, 50)),
                resources.ulimits());
        assertEquals(8L << 20, resources.shmSize());
    }

    @Test
    void nothingGivenIsNothingToUpdate() {
        assertEquals(Resources.NONE, update("c1"));
        assertEquals(-1L, update("--pids-limit", "-1", "c1").pidsLimit());
    }

    @Test
    void malformedDeviceLimitsAreRefusedInDockersWords() {
        assertEquals(
                "--device-read-bps /dev/loop3: bad format, use PATH:VALUE",
                assertThrows(IllegalArgumentException.class, () -> update("--device-read-bps", "/dev/loop3", "c1"))
                        .getMessage());
        assertEquals(
                "--device-read-bps sda:1mb: bad format for device path, it must be under /dev/",
                assertThrows(IllegalArgumentException.class, () -> update("--device-read-bps", "sda:1mb", "c1"))
                        .getMessage());
        assertEquals(
                "--device-write-iops /dev/sda:fast: invalid rate for device, the correct format is PATH:NUMBER with a number of 0 or more",
                assertThrows(IllegalArgumentException.class, () -> update("--device-write-iops", "/dev/sda:fast", "c1"))
                        .getMessage());
        assertEquals(
                "--device-read-bps /dev/sda:1zb: invalid rate for device, the correct format is PATH:NUMBER[UNIT] with a unit kb, mb or gb",
                assertThrows(IllegalArgumentException.class, () -> update("--device-read-bps", "/dev/sda:1zb", "c1"))
                        .getMessage());
        assertEquals(
                "--ulimit nofile: use NAME=SOFT[:HARD], e.g. nofile=1024:2048",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> create("--ulimit", "nofile", "bb", "true").containerSpec())
                        .getMessage());
    }
}
