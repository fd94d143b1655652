package dev.canal.runtime.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * A pipe(7): bytes written to {@link #writeEnd()} come out of {@link #readEnd()}.
 *
 * <p>Canal uses pipes to hear from a child that has no Java in it: the child writes an errno
 * and a step number if its setup fails, and a close-on-exec pipe that reaches end of file without
 * data tells the parent that execve(2) succeeded.
 */
public record Pipe(OwnedFd readEnd, OwnedFd writeEnd) implements AutoCloseable {

    private static final MethodHandle PIPE2 =
            Downcall.capturingErrno("pipe2", FunctionDescriptor.of(linux_h.C_INT, linux_h.C_POINTER, linux_h.C_INT));

    /** pipe2(2) with O_CLOEXEC: both ends are created close-on-exec in one atomic step. */
    public static Pipe create() {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            MemorySegment ends = arena.allocate(JAVA_INT, 2);
            Downcall.check((int) PIPE2.invokeExact(state, ends, linux_h.O_CLOEXEC()), state, "pipe2", "");
            return new Pipe(OwnedFd.adopt(ends.getAtIndex(JAVA_INT, 0)), OwnedFd.adopt(ends.getAtIndex(JAVA_INT, 1)));
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    @Override
    public void close() {
        try (readEnd) {
            writeEnd.close();
        }
    }
}
