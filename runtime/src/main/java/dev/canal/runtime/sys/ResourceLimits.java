package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import dev.canal.bindings.linux.rlimit;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * prlimit(2): set another process's resource limits. Limits belong to the whole process, so a
 * JVM thread cannot set them for a child by setrlimit(2) without changing the JVM's own; Canal
 * sets them on the held first process before it runs the container's program.
 */
public final class ResourceLimits {

    private static final MethodHandle PRLIMIT = Downcall.capturingErrno(
            "prlimit",
            FunctionDescriptor.of(linux_h.C_INT, linux_h.C_INT, linux_h.C_INT, linux_h.C_POINTER, linux_h.C_POINTER));

    private ResourceLimits() {}

    /** Sets limit {@code resource} (an {@code RLIMIT_*}) of process {@code pid}. */
    public static void set(int pid, int resource, long soft, long hard) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            MemorySegment limit = arena.allocate(rlimit.layout());
            rlimit.rlim_cur(limit, soft);
            rlimit.rlim_max(limit, hard);
            int result = (int) PRLIMIT.invokeExact(state, pid, resource, limit, MemorySegment.NULL);
            Downcall.check(result, state, "prlimit", "pid " + pid + ", resource " + resource);
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    /** The limit {@code resource} of process {@code pid}: {soft, hard}. */
    public static long[] get(int pid, int resource) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            MemorySegment limit = arena.allocate(rlimit.layout());
            int result = (int) PRLIMIT.invokeExact(state, pid, resource, MemorySegment.NULL, limit);
            Downcall.check(result, state, "prlimit", "pid " + pid + ", resource " + resource);
            return new long[] {rlimit.rlim_cur(limit), rlimit.rlim_max(limit)};
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }
}
