package dev.canal.runtime.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A pipe(7): bytes written to {@link #writeEnd()} come out of {@link #readEnd()}.
 *
 * <p>Canal uses pipes to hear from a child that has no Java in it: the child writes an errno
 * and a step number if its setup fails, and a close-on-exec pipe that reaches end of file without
 * data tells the parent that execve(2) succeeded.
 */
public record Pipe(OwnedFd readEnd, OwnedFd writeEnd) implements AutoCloseable {

    /** pipe2(2) with O_CLOEXEC: both ends are created close-on-exec in one atomic step. */
    public static Pipe create() {
        try (var arena = Arena.ofConfined()) {
            MemorySegment ends = arena.allocate(JAVA_INT, 2);
            Syscall.call("pipe2", "", SyscallNumbers.PIPE2, ends.address(), linux_h.O_CLOEXEC());
            return new Pipe(OwnedFd.adopt(ends.getAtIndex(JAVA_INT, 0)), OwnedFd.adopt(ends.getAtIndex(JAVA_INT, 1)));
        }
    }

    @Override
    public void close() {
        try (readEnd) {
            writeEnd.close();
        }
    }
}
