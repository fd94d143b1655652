package dev.canal.engine;

import java.util.List;

/**
 * The resource fields of docker's HostConfig (moby's api/types/container Resources, plus
 * ShmSize), grouped by what they limit. A zero, an empty string or an empty list means "not
 * set": no limit, or docker's default ({@link ContainerSetup#normalize} fills those in).
 * {@link CgroupResources} turns them into the config's {@code linux.resources};
 * {@link ResourceRules} refuses what docker refuses.
 *
 * @param pidsLimit the most tasks; null, 0 or -1 for no limit (null also means "unchanged" in
 *                  an update, as docker's *int64)
 * @param ulimits   {@code --ulimit}: setrlimit(2) limits of the container's first process
 * @param shmSize   bytes of the tmpfs at /dev/shm; 0 for docker's 64 MiB
 */
public record Resources(Cpu cpu, Memory memory, Long pidsLimit, BlockIo blockIo, List<Ulimit> ulimits, long shmSize) {

    /** docker's /dev/shm when ShmSize is not given (moby's config.DefaultShmSize). */
    public static final long DEFAULT_SHM_SIZE = 64L << 20;

    public static final Resources NONE = new Resources(Cpu.NONE, Memory.NONE, null, BlockIo.NONE, List.of(), 0);

    public Resources {
        cpu = cpu == null ? Cpu.NONE : cpu;
        memory = memory == null ? Memory.NONE : memory;
        blockIo = blockIo == null ? BlockIo.NONE : blockIo;
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
    }

    public Resources withMemory(Memory newMemory) {
        return new Resources(cpu, newMemory, pidsLimit, blockIo, ulimits, shmSize);
    }

    public Resources withShmSize(long bytes) {
        return new Resources(cpu, memory, pidsLimit, blockIo, ulimits, bytes);
    }

    /**
     * The cpu and cpuset controllers.
     *
     * @param shares   {@code --cpu-shares}: a relative weight, 1024 is a normal process's
     * @param nanoCpus {@code --cpus} in billionths of a CPU: a CFS quota of that share of a
     *                 100 ms period; excludes {@code period} and {@code quota}
     * @param period   {@code --cpu-period}: the CFS period in microseconds
     * @param quota    {@code --cpu-quota}: microseconds of CPU time per period
     * @param cpus     {@code --cpuset-cpus}: the CPUs it may run on, "0-2,4"
     * @param mems     {@code --cpuset-mems}: the NUMA nodes it may allocate from
     */
    public record Cpu(long shares, long nanoCpus, long period, long quota, String cpus, String mems) {

        public static final Cpu NONE = new Cpu(0, 0, 0, 0, "", "");

        public Cpu {
            cpus = cpus == null ? "" : cpus;
            mems = mems == null ? "" : mems;
        }
    }

    /**
     * The memory controller, in bytes.
     *
     * @param limit          {@code -m}
     * @param swap           {@code --memory-swap}: memory plus swap, -1 for unlimited swap
     * @param reservation    {@code --memory-reservation}: the soft limit reclaim aims at
     * @param oomKillDisable {@code --oom-kill-disable}: block instead of killing at the limit
     */
    public record Memory(long limit, long swap, long reservation, boolean oomKillDisable) {

        public static final Memory NONE = new Memory(0, 0, 0, false);
    }

    /**
     * The blkio (v1) or io (v2) controller. Devices are named by host paths, resolved to
     * major:minor at each start ({@link BlockDevice}).
     *
     * @param weight        {@code --blkio-weight}: 10 to 1000
     * @param weightDevices {@code --blkio-weight-device}
     * @param readBps       {@code --device-read-bps}: bytes per second
     * @param readIops      {@code --device-read-iops}: operations per second
     */
    public record BlockIo(
            int weight,
            List<WeightDevice> weightDevices,
            List<ThrottleDevice> readBps,
            List<ThrottleDevice> writeBps,
            List<ThrottleDevice> readIops,
            List<ThrottleDevice> writeIops) {

        public static final BlockIo NONE = new BlockIo(0, List.of(), List.of(), List.of(), List.of(), List.of());

        public BlockIo {
            weightDevices = weightDevices == null ? List.of() : List.copyOf(weightDevices);
            readBps = readBps == null ? List.of() : List.copyOf(readBps);
            writeBps = writeBps == null ? List.of() : List.copyOf(writeBps);
            readIops = readIops == null ? List.of() : List.copyOf(readIops);
            writeIops = writeIops == null ? List.of() : List.copyOf(writeIops);
        }
    }

    /** One {@code --blkio-weight-device PATH:WEIGHT}. */
    public record WeightDevice(String path, int weight) {}

    /** One {@code --device-read-bps PATH:RATE} (or write, or iops). */
    public record ThrottleDevice(String path, long rate) {}

    /** One {@code --ulimit NAME=SOFT[:HARD]}, NAME as setrlimit(2) without RLIMIT_ ("nofile"). */
    public record Ulimit(String name, long soft, long hard) {}
}
