package dev.canal.cli.run;

import dev.canal.cli.ByteSize;
import dev.canal.engine.Resources;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The cgroup limits {@code docker run}, {@code docker create} and {@code docker update} share (a
 * picocli mixin), with docker's names and units (docker/cli's opts: sizes as go-units'
 * RAMInBytes, device limits as PATH:VALUE with a path under /dev). The engine checks the values
 * further ({@code ResourceRules}) and resolves device paths to major:minor.
 */
final class LimitOptions {

    private static final long NANOS_PER_CPU = 1_000_000_000L;

    @Option(
            names = {"-c", "--cpu-shares"},
            paramLabel = "N",
            description = "CPU shares, a relative weight (1024 is a normal process's).")
    long cpuShares;

    @Option(names = "--cpus", paramLabel = "N", description = "CPUs' worth of time, e.g. 0.5.")
    Double cpus;

    @Option(names = "--cpu-period", paramLabel = "MICROSECONDS", description = "The CPU CFS period.")
    long cpuPeriod;

    @Option(names = "--cpu-quota", paramLabel = "MICROSECONDS", description = "CPU time per CFS period.")
    long cpuQuota;

    @Option(names = "--cpuset-cpus", paramLabel = "LIST", description = "The CPUs it may run on (0-3, 0,1).")
    String cpusetCpus;

    @Option(names = "--cpuset-mems", paramLabel = "LIST", description = "The memory nodes it may use (0-3, 0,1).")
    String cpusetMems;

    @Option(
            names = {"-m", "--memory"},
            paramLabel = "SIZE",
            description = "Memory limit, e.g. 64m (swap: as much again unless --memory-swap).")
    String memory;

    @Option(
            names = "--memory-swap",
            paramLabel = "SIZE",
            description = "Memory plus swap limit; -1 for unlimited swap.")
    String memorySwap;

    @Option(names = "--memory-reservation", paramLabel = "SIZE", description = "Memory soft limit.")
    String memoryReservation;

    @Option(names = "--pids-limit", paramLabel = "N", description = "At most N processes and threads; -1 for no limit.")
    Long pidsLimit;

    @Option(names = "--blkio-weight", paramLabel = "N", description = "Block I/O weight, 10 to 1000.")
    int blkioWeight;

    @Option(
            names = "--blkio-weight-device",
            paramLabel = "PATH:N",
            description = "Block I/O weight for one device, e.g. /dev/sda:200.")
    List<String> blkioWeightDevice = List.of();

    @Option(
            names = "--device-read-bps",
            paramLabel = "PATH:RATE",
            description = "Limit reads from a device, in bytes per second, e.g. /dev/sda:1mb.")
    List<String> deviceReadBps = List.of();

    @Option(
            names = "--device-write-bps",
            paramLabel = "PATH:RATE",
            description = "Limit writes to a device, in bytes per second.")
    List<String> deviceWriteBps = List.of();

    @Option(
            names = "--device-read-iops",
            paramLabel = "PATH:N",
            description = "Limit reads from a device, in operations per second.")
    List<String> deviceReadIops = List.of();

    @Option(
            names = "--device-write-iops",
            paramLabel = "PATH:N",
            description = "Limit writes to a device, in operations per second.")
    List<String> deviceWriteIops = List.of();

    /** The limits given; what was not given is zero, empty, or for --pids-limit null. */
    Resources resources() {
        var cpu = new Resources.Cpu(
                cpuShares,
                cpus == null ? 0 : Math.round(cpus * NANOS_PER_CPU),
                cpuPeriod,
                cpuQuota,
                cpusetCpus,
                cpusetMems);
        var memoryLimits = new Resources.Memory(
                size(memory, "-m"),
                memorySwap != null && memorySwap.equals("-1") ? -1 : size(memorySwap, "--memory-swap"),
                size(memoryReservation, "--memory-reservation"),
                false);
        var blockIo = new Resources.BlockIo(
                blkioWeight,
                devices(blkioWeightDevice, "--blkio-weight-device", LimitOptions::weightDevice),
                devices(deviceReadBps, "--device-read-bps", LimitOptions::bytesPerSecond),
                devices(deviceWriteBps, "--device-write-bps", LimitOptions::bytesPerSecond),
                devices(deviceReadIops, "--device-read-iops", LimitOptions::operationsPerSecond),
                devices(deviceWriteIops, "--device-write-iops", LimitOptions::operationsPerSecond));
        return new Resources(cpu, memoryLimits, pidsLimit, blockIo, List.of(), 0);
    }

    private static long size(String text, String option) {
        return text == null ? 0 : ByteSize.parse(text, option);
    }

    /** One PATH:VALUE device limit, in docker's words when it is malformed (docker/cli opts/throttledevice.go). */
    private record DeviceValue(String option, String text, String path, String value) {}

    private static <T> List<T> devices(List<String> given, String option, Function<DeviceValue, T> parse) {
        return given.stream()
                .map(text -> {
                    int colon = text.lastIndexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException(option + " " + text + ": bad format, use PATH:VALUE");
                    }
                    String path = text.substring(0, colon);
                    if (!path.startsWith("/dev/")) {
                        throw new IllegalArgumentException(
                                option + " " + text + ": bad format for device path, it must be under /dev/");
                    }
                    return parse.apply(new DeviceValue(option, text, path, text.substring(colon + 1)));
                })
                .toList();
    }

    private static Resources.ThrottleDevice bytesPerSecond(DeviceValue device) {
        try {
            return new Resources.ThrottleDevice(device.path(), ByteSize.parse(device.value(), device.option()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    device.option() + " " + device.text()
                            + ": invalid rate for device, the correct format is PATH:NUMBER[UNIT] with a unit kb, mb or gb",
                    e);
        }
    }

    private static Resources.ThrottleDevice operationsPerSecond(DeviceValue device) {
        return new Resources.ThrottleDevice(device.path(), number(device, "rate"));
    }

    private static Resources.WeightDevice weightDevice(DeviceValue device) {
        return new Resources.WeightDevice(device.path(), (int) Math.min(number(device, "weight"), Integer.MAX_VALUE));
    }

    private static long number(DeviceValue device, String what) {
        try {
            long number = Long.parseLong(device.value());
            if (number >= 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // refused below, in the same words
        }
        throw new IllegalArgumentException(device.option() + " " + device.text() + ": invalid " + what
                + " for device, the correct format is PATH:NUMBER with a number of 0 or more");
    }
}
