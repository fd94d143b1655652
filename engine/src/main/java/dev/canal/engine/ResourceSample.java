package dev.canal.engine;

import dev.canal.runtime.cgroup.CgroupStats;
import java.time.Instant;
import java.util.Map;

/**
 * One reading of a running container's resource use with the machine's totals of the same
 * moment, what dockerd puts in one ContainerStats answer: the front ends compare two readings
 * for a CPU percentage, as the docker CLI compares cpu_stats with precpu_stats.
 *
 * @param read when it was taken
 * @param cgroup the container's cgroup counters
 * @param hostCpuNanos the time all of the machine's CPUs have run since boot ({@link HostResources#cpuNanos})
 * @param onlineCpus the machine's online CPUs
 * @param memoryLimit the container's memory limit, or the machine's memory when it has none
 * @param networks the byte and packet counters of the container's network interfaces but loopback,
 *     by name; none when it shares the machine's network namespace, as docker shows a host-network
 *     container
 */
public record ResourceSample(
        Instant read,
        CgroupStats cgroup,
        long hostCpuNanos,
        int onlineCpus,
        long memoryLimit,
        Map<String, InterfaceCounters> networks) {

    /** /proc/net/dev's receive and transmit columns of one interface (proc(5)). */
    public record InterfaceCounters(
            long rxBytes,
            long rxPackets,
            long rxErrors,
            long rxDropped,
            long txBytes,
            long txPackets,
            long txErrors,
            long txDropped) {}
}
