package dev.canal.runtime.sys;

import static dev.canal.bindings.linux.linux_h.C_INT;
import static dev.canal.bindings.linux.linux_h.C_POINTER;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * A file descriptor this code owns and must close exactly once: {@code try (var fd = ...)}.
 *
 * <p>Every descriptor Canal opens is close-on-exec ({@code O_CLOEXEC}): a container's process
 * must never inherit a host descriptor by accident (the CVE-2016-9962 class of runc bugs). A
 * descriptor meant for a child is handed over explicitly, for example with dup2(2) in the
 * child's file actions.
 */
public final class OwnedFd implements AutoCloseable {

    private static final int CLOSED = -1;

    // open(2) is variadic: the mode is read only with O_CREAT or O_TMPFILE.
    private static final MethodHandle OPEN = Downcall.capturingErrnoVariadic(
            linux_h.open.address(), FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT), 2);
    private static final MethodHandle CLOSE =
            Downcall.capturingErrno("close", FunctionDescriptor.of(linux_h.C_INT, linux_h.C_INT));

    private static final MethodHandle READ = Downcall.capturingErrno(
            "read", FunctionDescriptor.of(linux_h.C_LONG, linux_h.C_INT, linux_h.C_POINTER, linux_h.C_LONG));
    private static final MethodHandle WRITE = Downcall.capturingErrno(
            "write", FunctionDescriptor.of(linux_h.C_LONG, linux_h.C_INT, linux_h.C_POINTER, linux_h.C_LONG));
    // fcntl(2) is variadic too; every command Canal uses takes one int argument or none.
    private static final MethodHandle FCNTL = Downcall.capturingErrnoVariadic(
            linux_h.fcntl.address(), FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT), 2);
    private int fd;

    private OwnedFd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + fd);
        }
        this.fd = fd;
    }

    /** Takes ownership of a descriptor a system call returned. */
    public static OwnedFd adopt(int fd) {
        return new OwnedFd(fd);
    }

    /** open(2) with {@code O_CLOEXEC} added; {@code mode} matters only when creating. */
    public static OwnedFd open(String path, int flags, int mode) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            int fd = (int) OPEN.invokeExact(state, CStrings.allocate(arena, path), flags | linux_h.O_CLOEXEC(), mode);
            return new OwnedFd(Downcall.check(fd, state, "open", path));
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    /** The descriptor number; only valid until {@link #close()} or {@link #release()}. */
    public int fd() {
        if (fd == CLOSED) {
            throw new IllegalStateException("file descriptor already closed");
        }
        return fd;
    }

    /**
     * read(2) into {@code buffer}: the number of bytes read, 0 at end of file. Retries when a
     * signal interrupts the call (EINTR), as the C library's stdio does.
     */
    public int read(byte[] buffer, int offset, int length) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            MemorySegment nativeBuffer = arena.allocate(Math.max(1, length));
            while (true) {
                long count = (long) READ.invokeExact(state, fd(), nativeBuffer, (long) length);
                if (count >= 0) {
                    MemorySegment.copy(nativeBuffer, ValueLayout.JAVA_BYTE, 0, buffer, offset, (int) count);
                    return (int) count;
                }
                if (Downcall.errno(state) != linux_h.EINTR()) {
                    throw Errno.failure("read", "fd " + fd, Downcall.errno(state));
                }
            }
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    /** write(2) until every byte is written: pipes and sockets may take fewer bytes per call. */
    public void writeFully(byte[] bytes) {
        try (var arena = Arena.ofConfined()) {
            writeFully(arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes));
        }
    }

    /**
     * write(2) of the whole of {@code bytes}, native memory the caller may reuse for the next
     * write: a copier of many files allocates one buffer instead of one per write.
     */
    public void writeFully(MemorySegment bytes) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            long written = 0;
            while (written < bytes.byteSize()) {
                long count = (long) WRITE.invokeExact(state, fd(), bytes.asSlice(written), bytes.byteSize() - written);
                if (count >= 0) {
                    written += count;
                } else if (Downcall.errno(state) != linux_h.EINTR()) {
                    throw Errno.failure("write", "fd " + fd, Downcall.errno(state));
                }
            }
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    /** Whether the descriptor is closed by execve(2): fcntl(2) F_GETFD and FD_CLOEXEC. */
    public boolean isCloseOnExec() {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            int flags = Downcall.check(
                    (int) FCNTL.invokeExact(state, fd(), linux_h.F_GETFD(), 0), state, "fcntl", "fd " + fd);
            return (flags & linux_h.FD_CLOEXEC()) != 0;
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    /** Gives up ownership: the caller now closes the returned descriptor. */
    public int release() {
        int released = fd();
        fd = CLOSED;
        return released;
    }

    /**
     * close(2), once. On Linux the descriptor is gone even when close reports EINTR, so it is
     * never retried: a retry could close a descriptor another thread just opened.
     */
    @Override
    public void close() {
        if (fd == CLOSED) {
            return;
        }
        int closing = fd;
        fd = CLOSED;
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            int result = (int) CLOSE.invokeExact(state, closing);
            if (result < 0 && Downcall.errno(state) != linux_h.EINTR()) {
                throw Errno.failure("close", "fd " + closing, Downcall.errno(state));
            }
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    @Override
    public String toString() {
        return fd == CLOSED ? "fd (closed)" : "fd " + fd;
    }
}
