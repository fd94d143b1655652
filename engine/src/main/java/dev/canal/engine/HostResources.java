package dev.canal.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's totals that a container's use is measured against, as dockerd reads them for
 * {@code docker stats} and {@code docker info}: its memory, its CPU time and its online CPUs.
 */
public final class HostResources {

    /** USER_HZ, the unit of /proc/stat's times: 100 on every Linux ABI (proc(5)). */
    private static final long TICKS_PER_SECOND = 100L;

    private static final long NANOS_PER_TICK = 1_000_000_000L / TICKS_PER_SECOND;

    /** The "cpu" line's columns user, nice, system, idle, iowait, irq, softirq, steal (proc(5)). */
    private static final int CPU_TIME_COLUMNS = 8;

    private HostResources() {}

    /** MemTotal of /proc/meminfo in bytes (proc(5)); 0 when unknown, as the Engine API allows. */
    public static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024L;
                }
            }
        } catch (IOException noMeminfo) {
            // unknown
        }
        return 0L;
    }

    /**
     * The time all CPUs have spent since boot, busy or idle, in nanoseconds: the denominator of
     * docker's CPU %. The guest columns after steal are already counted in user and nice.
     */
    public static long cpuNanos() {
        try {
            String[] fields =
                    Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long ticks = 0L;
            for (int i = 1; i <= Math.min(CPU_TIME_COLUMNS, fields.length - 1); i++) {
                ticks += Long.parseLong(fields[i]);
            }
            return ticks * NANOS_PER_TICK;
        } catch (IOException e) {
            throw new UncheckedIOException("/proc/stat", e);
        }
    }

    /**
     * The CPUs online, sysconf(_SC_NPROCESSORS_ONLN) as dockerd asks it: the list in
     * /sys/devices/system/cpu/online ("0-3,6"; the kernel's
     * Documentation/ABI/testing/sysfs-devices-system-cpu). Unlike the JVM's
     * availableProcessors it ignores the affinity and cgroup limits of the daemon itself.
     */
    public static int onlineCpus() {
        try {
            int cpus = 0;
            for (String range : Files.readString(Path.of("/sys/devices/system/cpu/online"))
                    .strip()
                    .split(",")) {
                String[] bounds = range.split("-");
                cpus += bounds.length == 1 ? 1 : Integer.parseInt(bounds[1]) - Integer.parseInt(bounds[0]) + 1;
            }
            return cpus;
        } catch (IOException | NumberFormatException unreadable) {
            return Runtime.getRuntime().availableProcessors();
        }
    }
}
