package dev.canal.runtime.cgroup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A cgroup's usage counters. Jackson writes this record as the {@code data} object of runc's
 * {@code events --stats} (runc types/events.go {@code Stats}), so tools that parse runc's output
 * read Canal's. Times are nanoseconds, sizes bytes.
 */
public record CgroupStats(Cpu cpu, Memory memory, Pids pids, Blkio blkio, Map<String, Hugetlb> hugetlb) {

    /** CPU time used, and how often the quota held the cgroup back. */
    public record Cpu(CpuUsage usage, Throttling throttling) {}

    /** CPU time: in total, per CPU (v1 only), and split into kernel and user time. */
    public record CpuUsage(
            long total,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Long> percpu,

            @JsonProperty("percpu_kernel") @JsonInclude(JsonInclude.Include.NON_EMPTY)
            List<Long> percpuKernel,

            @JsonProperty("percpu_user") @JsonInclude(JsonInclude.Include.NON_EMPTY)
            List<Long> percpuUser,

            long kernel,
            long user) {}

    /** CFS bandwidth control: periods elapsed, periods the cgroup ran out of quota, time held back. */
    public record Throttling(long periods, long throttledPeriods, long throttledTime) {}

    /**
     * Memory use. {@code usage} is memory, {@code swap} memory plus swap on v1 and swap alone on
     * v2 (as runc reports them); {@code raw} is memory.stat as the kernel wrote it.
     */
    public record Memory(
            long cache,
            MemoryEntry usage,
            MemoryEntry swap,
            MemoryEntry kernel,
            @JsonProperty("kernelTCP") MemoryEntry kernelTcp,
            Map<String, Long> raw) {}

    /** One memory counter: its limit (-1 unlimited), current use, peak use, and limit hits. */
    public record MemoryEntry(long limit, long usage, long max, long failcnt) {
        public static final MemoryEntry NONE = new MemoryEntry(0, 0, 0, 0);
    }

    /** Tasks now, and the limit (0 when unlimited, as runc reports it). */
    public record Pids(long current, long limit) {}

    /** Bytes and operations per block device, as runc names them. */
    public record Blkio(
            @JsonProperty("ioServiceBytesRecursive") List<BlkioEntry> ioServiceBytesRecursive,
            @JsonProperty("ioServicedRecursive") List<BlkioEntry> ioServicedRecursive) {}

    /** One device's count for one operation ("Read", "Write", ...). */
    public record BlkioEntry(long major, long minor, String op, long value) {}

    /** Huge page use of one page size. */
    public record Hugetlb(long usage, long max, long failcnt) {}
}
