package dev.canal.engine;

import dev.canal.runtime.cgroup.CpuList;
import dev.canal.runtime.oci.RlimitNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What docker refuses in a container's resources, at create and at update (moby's
 * daemon/daemon_unix.go verifyPlatformContainerResources and container_unix.go
 * UpdateContainer), each as one line naming the option. Device paths are checked to be block
 * devices here too, so a typo fails at create rather than at the first start.
 */
public final class ResourceRules {

    /** docker's smallest memory limit (moby's linuxMinMemory): less cannot start a process. */
    static final long MINIMUM_MEMORY = 6 * 1024 * 1024;

    private static final long NANOS_PER_CPU = 1_000_000_000L;

    /** The kernel's cpu.shares range (MIN_SHARES, MAX_SHARES in kernel/sched/sched.h). */
    private static final long MIN_SHARES = 2;

    private static final long MAX_SHARES = 262_144;

    private static final Path ONLINE_CPUS = Path.of("/sys/devices/system/cpu/online");

    private static final Path ONLINE_NODES = Path.of("/sys/devices/system/node/online");

    /** The CFS period's range, 1 ms to 1 s (Documentation/scheduler/sched-bwc.rst). */
    private static final long MIN_PERIOD = 1_000;

    private static final long MAX_PERIOD = 1_000_000;

    /** blkio.weight's range on v1, which docker keeps on v2 too (the runtime converts it). */
    private static final int MIN_BLKIO_WEIGHT = 10;

    private static final int MAX_BLKIO_WEIGHT = 1000;

    private ResourceRules() {}

    /** Refuses resources docker would refuse at create. */
    public static void validate(Resources resources) {
        check(resources, false);
    }

    /**
     * Refuses an update docker would refuse: the same rules on the fields given, except that
     * {@code --memory-swap} may come without {@code -m} (the container's limit stays), and the
     * merged result must hold together.
     */
    public static void validateUpdate(Resources current, Resources update) {
        check(update, true);
        Resources.Cpu given = update.cpu();
        Resources.Cpu had = current.cpu();
        if (given.nanoCpus() > 0 && (had.period() > 0 || had.quota() > 0)) {
            throw new IllegalArgumentException(
                    "--cpus: Conflicting options: Nano CPUs cannot be updated as CPU Period or Quota has already been set");
        }
        if ((given.period() > 0 || given.quota() > 0) && had.nanoCpus() > 0) {
            throw new IllegalArgumentException(
                    "--cpu-period/--cpu-quota: Conflicting options: CPU Period and Quota cannot be updated as NanoCPUs has already been set");
        }
        Resources.Memory memory = update.memory();
        if (memory.limit() > 0
                && memory.swap() == 0
                && memory.limit() > current.memory().swap()
                && current.memory().swap() > 0) {
            throw new IllegalArgumentException(
                    "-m " + memory.limit()
                            + ": Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
        }
    }

    private static void check(Resources resources, boolean update) {
        cpu(resources.cpu());
        memory(resources.memory(), update);
        Long pids = resources.pidsLimit();
        // -1 is the API's "unlimited", as 0 is.
        if (pids != null && pids < 0 && pids != -1) {
            throw new IllegalArgumentException("--pids-limit " + pids + ": must be at least 1");
        }
        blockIo(resources.blockIo());
        for (Resources.Ulimit ulimit : resources.ulimits()) {
            if (!RlimitNames.names().contains("RLIMIT_" + ulimit.name().toUpperCase(Locale.ROOT))) {
                throw new IllegalArgumentException("--ulimit " + ulimit.name() + ": unknown resource");
            }
            // A negative hard limit is RLIM_INFINITY, above any soft one.
            if (ulimit.soft() > ulimit.hard() && ulimit.hard() >= 0) {
                throw new IllegalArgumentException("--ulimit " + ulimit.name() + "=" + ulimit.soft() + ":"
                        + ulimit.hard() + ": the soft limit must not be above the hard one");
            }
        }
        if (resources.shmSize() < 0) {
            throw new IllegalArgumentException(
                    "--shm-size " + resources.shmSize() + ": SHM size can not be less than 0");
        }
    }

    private static void cpu(Resources.Cpu cpu) {
        if (cpu.nanoCpus() > 0 && cpu.period() > 0) {
            throw new IllegalArgumentException(
                    "--cpus and --cpu-period: Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (cpu.nanoCpus() > 0 && cpu.quota() > 0) {
            throw new IllegalArgumentException(
                    "--cpus and --cpu-quota: Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }
        int processors = Runtime.getRuntime().availableProcessors();
        if (cpu.nanoCpus() < 0 || cpu.nanoCpus() > processors * NANOS_PER_CPU) {
            throw new IllegalArgumentException("--cpus " + cpu.nanoCpus() / (double) NANOS_PER_CPU
                    + ": range of CPUs is from 0.01 to " + processors + ".00, as there are only " + processors
                    + " CPUs available");
        }
        if (cpu.shares() != 0 && (cpu.shares() < MIN_SHARES || cpu.shares() > MAX_SHARES)) {
            throw new IllegalArgumentException("--cpu-shares " + cpu.shares() + ": must be from " + MIN_SHARES + " to "
                    + MAX_SHARES + " (the kernel's MIN_SHARES and MAX_SHARES)");
        }
        if (cpu.period() != 0 && (cpu.period() < MIN_PERIOD || cpu.period() > MAX_PERIOD)) {
            throw new IllegalArgumentException("--cpu-period " + cpu.period()
                    + ": CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        // -1 is "no quota", as in cpu.cfs_quota_us.
        if (cpu.quota() > 0 && cpu.quota() < MIN_PERIOD || cpu.quota() < -1) {
            throw new IllegalArgumentException(
                    "--cpu-quota " + cpu.quota() + ": CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
        cpuList("--cpuset-cpus", cpu.cpus(), ONLINE_CPUS, "CPUs");
        cpuList("--cpuset-mems", cpu.mems(), ONLINE_NODES, "memory nodes");
    }

    /**
     * A cpuset list in the kernel's list format, naming only CPUs or memory nodes that are online
     * (sysfs's {@code online} files, Documentation/ABI/testing/sysfs-devices-system-cpu), as
     * moby's sysinfo.IsCpusetCpusAvailable checks.
     */
    private static void cpuList(String option, String list, Path online, String what) {
        if (list.isEmpty()) {
            return;
        }
        String problem = CpuList.problem(list);
        if (problem != null) {
            throw new IllegalArgumentException(option + " " + problem);
        }
        if (!Files.exists(online)) {
            return;
        }
        String available;
        try {
            available = Files.readString(online).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + online + ": " + e.getMessage(), e);
        }
        List<long[]> availableRanges = ranges(available);
        for (long[] range : ranges(list)) {
            if (availableRanges.stream().noneMatch(held -> held[0] <= range[0] && range[1] <= held[1])) {
                throw new IllegalArgumentException(option + " " + list + ": Requested " + what
                        + " are not available - requested " + list + ", available: " + available);
            }
        }
    }

    /**
     * The ranges of a list such as "0-3,6" as [first, last] pairs. sysfs writes its online
     * lists with maximal ranges, so a requested range is available when one of them holds it.
     */
    private static List<long[]> ranges(String list) {
        return Stream.of(list.split(","))
                .map(part -> {
                    String[] ends = part.split("-");
                    long first = Long.parseLong(ends[0]);
                    return new long[] {first, ends.length == 2 ? Long.parseLong(ends[1]) : first};
                })
                .toList();
    }

    private static void memory(Resources.Memory memory, boolean update) {
        if (memory.limit() < 0 || memory.limit() > 0 && memory.limit() < MINIMUM_MEMORY) {
            throw new IllegalArgumentException("-m " + memory.limit() + ": the minimum memory limit is 6MB");
        }
        if (memory.swap() < -1) {
            throw new IllegalArgumentException("--memory-swap " + memory.swap() + ": a size, or -1 for unlimited swap");
        }
        if (memory.limit() > 0 && memory.swap() > 0 && memory.swap() < memory.limit()) {
            throw new IllegalArgumentException("--memory-swap " + memory.swap()
                    + ": Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (memory.limit() == 0 && memory.swap() > 0 && !update) {
            throw new IllegalArgumentException("--memory-swap " + memory.swap()
                    + ": You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        if (memory.reservation() < 0 || memory.reservation() > 0 && memory.reservation() < MINIMUM_MEMORY) {
            throw new IllegalArgumentException(
                    "--memory-reservation " + memory.reservation() + ": Minimum memory reservation allowed is 6MB");
        }
        if (memory.limit() > 0 && memory.reservation() > 0 && memory.limit() < memory.reservation()) {
            throw new IllegalArgumentException("--memory-reservation " + memory.reservation()
                    + ": Minimum memory limit can not be less than memory reservation limit, see usage");
        }
    }

    private static void blockIo(Resources.BlockIo blockIo) {
        if (blockIo.weight() != 0 && !isBlkioWeight(blockIo.weight())) {
            throw new IllegalArgumentException(
                    "--blkio-weight " + blockIo.weight() + ": Range of blkio weight is from 10 to 1000");
        }
        for (Resources.WeightDevice device : blockIo.weightDevices()) {
            if (device.weight() != 0 && !isBlkioWeight(device.weight())) {
                throw new IllegalArgumentException("--blkio-weight-device " + device.path() + ":" + device.weight()
                        + ": invalid weight for device, the range is from 10 to 1000");
            }
            BlockDevice.of(device.path(), "--blkio-weight-device");
        }
        throttles("--device-read-bps", blockIo.readBps());
        throttles("--device-write-bps", blockIo.writeBps());
        throttles("--device-read-iops", blockIo.readIops());
        throttles("--device-write-iops", blockIo.writeIops());
    }

    private static boolean isBlkioWeight(int weight) {
        return weight >= MIN_BLKIO_WEIGHT && weight <= MAX_BLKIO_WEIGHT;
    }

    private static void throttles(String option, List<Resources.ThrottleDevice> devices) {
        for (Resources.ThrottleDevice device : devices) {
            if (device.rate() < 0) {
                throw new IllegalArgumentException(
                        option + " " + device.path() + ":" + device.rate() + ": the rate must not be negative");
            }
            BlockDevice.of(device.path(), option);
        }
    }
}
