package dev.canal.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.cgroup.CgroupPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The measurements that show the three limits of Canal's seed at work: CPU shares, a memory
 * limit and a read throttle. Shared by the runtime's cgroup checks (v1 on this machine, v2 in
 * the VM of CgroupV2VmTest) and the end-to-end tests through {@code canal run}, so each
 * tolerance is argued once, here. What is asserted is what the kernel enforces (a ratio of CPU
 * time, a byte rate), never how fast the machine is.
 */
public final class ResourceMeasurements {

    private static final long MIB = 1024 * 1024;

    /** How long two busy loops run side by side while their CPU time is counted. */
    private static final long SHARES_WINDOW_MILLIS = 3000;

    /** Time for both loops to be running before the window opens. */
    private static final long SHARES_SETTLE_MILLIS = 300;

    /**
     * Entities competing for one CPU get time in proportion to their weights
     * (Documentation/scheduler/sched-design-CFS.rst; cgroup-v2.rst "Weights"): cpu.shares on v1,
     * so 1024 against 256 is 4:1, and cpu.weight on v2, where runc's and crun's curve makes
     * those shares 100 against 35, 2.86:1. Over three seconds the CPU is handed out in slices of
     * a few milliseconds, about a thousand of them, so the ratio's own error is a few percent;
     * other processes on that CPU take time from both groups alike and leave the ratio alone. A
     * quarter either way still tells 4:1 from 2.86:1, and either from 1:1.
     */
    private static final double WEIGHT_TOLERANCE = 0.25;

    /** A memory limit and two allocations either side of it. */
    public static final long MEMORY_LIMIT = 32 * MIB;

    public static final long OVER_THE_LIMIT = 64 * MIB;

    public static final long UNDER_THE_LIMIT = 16 * MIB;

    /** The read throttle, docker's {@code --device-read-bps DEVICE:1mb}: 1 MiB a second. */
    public static final long READ_BPS = MIB;

    /** 3 MiB in 64 KiB direct reads: three seconds at the throttle. */
    private static final int READ_BLOCKS = 48;

    /**
     * blk-throttle measures a group's bytes in slices of 100 ms (throtl_slice, block/blk-throttle.c)
     * and dispatches a bio once the slice's budget covers it, so over three seconds the rate is
     * exact to about one slice, 3%, faster; waking dd late on a loaded machine can only make it
     * slower. 0.7 to 1.1 MiB/s keeps both and tells a throttled read from one at disk speed.
     */
    private static final double RATE_LOW = 0.7 * READ_BPS;

    private static final double RATE_HIGH = 1.1 * READ_BPS;

    /** busybox time(1)'s first line on standard error: "real\t0m 3.02s". */
    private static final Pattern REAL = Pattern.compile("real\\s+(\\d+)m\\s+([0-9.]+)s");

    private ResourceMeasurements() {}

    /** A busy loop for busybox sh: it only ever wants the CPU. */
    public static final String BUSY_LOOP = "while :; do :; done";

    /**
     * The weight the kernel schedules a cgroup by: v1's cpu.shares, or v2's cpu.weight when the
     * limits are on v2.
     */
    public static long cpuWeight(CgroupLayout layout, String cgroup) {
        Path directory = layout.limitsOnV2()
                ? CgroupPath.in(layout.unified(), cgroup)
                : CgroupPath.in(layout.v1Mounts().get("cpu"), cgroup);
        try {
            return Long.parseLong(Files.readString(directory.resolve(layout.limitsOnV2() ? "cpu.weight" : "cpu.shares"))
                    .strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Lets two busy loops on one CPU settle, then counts their CPU time (cpuacct.usage, cpu.stat's
     * usage_usec) over the window and asserts it split as their weights; returns the ratio.
     */
    public static double assertSplitByWeight(
            long heavyWeight, LongSupplier heavyUsage, long lightWeight, LongSupplier lightUsage)
            throws InterruptedException {
        Thread.sleep(SHARES_SETTLE_MILLIS);
        long heavy = heavyUsage.getAsLong();
        long light = lightUsage.getAsLong();
        Thread.sleep(SHARES_WINDOW_MILLIS);
        long heavyDelta = heavyUsage.getAsLong() - heavy;
        long lightDelta = lightUsage.getAsLong() - light;
        assertTrue(lightDelta > 0, "the lighter loop never ran: " + heavyDelta + " ns against " + lightDelta);
        double expected = (double) heavyWeight / lightWeight;
        double ratio = (double) heavyDelta / lightDelta;
        assertTrue(
                Math.abs(ratio - expected) <= expected * WEIGHT_TOLERANCE,
                "weights " + heavyWeight + " against " + lightWeight + " on one CPU gave CPU time " + heavyDelta
                        + " ns against " + lightDelta + " ns, " + ratio + ":1");
        // The figures docs/resources.md quotes, in the test's output.
        System.out.printf(
                "weights %d:%d on one CPU: %d ns against %d ns of CPU time, %.2f:1 (expected %.2f:1)%n",
                heavyWeight, lightWeight, heavyDelta, lightDelta, ratio, expected);
        return ratio;
    }

    /** A busybox command that allocates and touches {@code bytes} of anonymous memory: dd's one block buffer. */
    public static String allocate(long bytes) {
        return "dd if=/dev/zero of=/dev/null bs=" + bytes / MIB + "M count=1";
    }

    /** A busybox command that times 3 MiB of O_DIRECT reads from {@code path}: the page cache cannot serve them. */
    public static String timedDirectRead(String path) {
        return "busybox time busybox dd if=" + path + " of=/dev/null bs=64k count=" + READ_BLOCKS + " iflag=direct";
    }

    /** The rate in bytes a second of {@link #timedDirectRead}, from busybox time's report in {@code output}. */
    public static double readRate(String output) {
        Matcher real = REAL.matcher(output);
        assertTrue(real.find(), "no time(1) report in: " + output);
        double seconds = Long.parseLong(real.group(1)) * 60 + Double.parseDouble(real.group(2));
        return READ_BLOCKS * 64 * 1024 / Math.max(seconds, 0.01);
    }

    /**
     * Asserts that a throttled read ran at about 1 MiB/s while the unthrottled one of the same
     * run was faster than the throttle allows (its data comes from a loop device whose backing
     * file is in memory); returns the throttled rate.
     */
    public static double assertThrottledToOneMib(String throttledOutput, String unthrottledOutput) {
        double throttled = readRate(throttledOutput);
        double unthrottled = readRate(unthrottledOutput);
        assertTrue(
                throttled >= RATE_LOW && throttled <= RATE_HIGH,
                "1 MiB/s let the read through at " + throttled / MIB + " MiB/s: " + throttledOutput);
        assertTrue(
                unthrottled > RATE_HIGH,
                "the unthrottled read was no faster (" + unthrottled / MIB + " MiB/s): " + unthrottledOutput);
        System.out.printf(
                "direct reads: %.3f MiB/s under a 1 MiB/s throttle, %.1f MiB/s without%n",
                throttled / MIB, unthrottled / MIB);
        return throttled;
    }
}
