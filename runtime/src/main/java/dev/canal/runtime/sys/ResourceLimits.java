package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import dev.canal.bindings.linux.rlimit;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * prlimit(2): set another process's resource limits. Limits belong to the whole process, so a
 * JVM thread cannot set them for a child by setrlimit(2) without changing the JVM's own; Canal
 * sets them on the held first process before it runs the container's program.
 */
public final class ResourceLimits {

    private ResourceLimits() {}

    /** Sets limit {@code resource} (an {@code RLIMIT_*}) of process {@code pid}. */
    public static void set(int pid, int resource, long soft, long hard) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment limit = arena.allocate(rlimit.layout());
            rlimit.rlim_cur(limit, soft);
            rlimit.rlim_max(limit, hard);
            prlimit(pid, resource, limit.address(), 0);
        }
    }

    /** The limit {@code resource} of process {@code pid}: {soft, hard}. */
    public static long[] get(int pid, int resource) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment limit = arena.allocate(rlimit.layout());
            prlimit(pid, resource, 0, limit.address());
            return new long[] {rlimit.rlim_cur(limit), rlimit.rlim_max(limit)};
        }
    }

    /** prlimit64(2), what glibc's prlimit calls: struct rlimit is struct rlimit64 on 64-bit Linux. */
    private static void prlimit(int pid, int resource, long newLimit, long oldLimit) {
        Syscall.call(
                "prlimit",
                "pid " + pid + ", resource " + resource,
                linux_h.SYS_prlimit64(),
                pid,
                resource,
                newLimit,
                oldLimit);
    }
}
