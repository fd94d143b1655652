package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

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

    /**
     * open(2) with {@code O_CLOEXEC} added; {@code mode} matters only when creating. Made as
     * openat(2) from the working directory, the system call glibc's open makes.
     */
    public static OwnedFd open(String path, int flags, int mode) {
        try (var arena = Arena.ofConfined()) {
            long fd = Syscall.call(
                    "open",
                    path,
                    linux_h.SYS_openat(),
                    linux_h.AT_FDCWD(),
                    CStrings.allocate(arena, path).address(),
                    flags | linux_h.O_CLOEXEC(),
                    mode);
            return new OwnedFd((int) fd);
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
            MemorySegment nativeBuffer = arena.allocate(Math.max(1, length));
            int count = (int) checked(
                    Syscall.attemptRetryingInterrupted(linux_h.SYS_read(), fd(), nativeBuffer.address(), length),
                    "read");
            MemorySegment.copy(nativeBuffer, ValueLayout.JAVA_BYTE, 0, buffer, offset, count);
            return count;
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
        long written = 0;
        while (written < bytes.byteSize()) {
            written += checked(
                    Syscall.attemptRetryingInterrupted(
                            linux_h.SYS_write(), fd(), bytes.address() + written, bytes.byteSize() - written),
                    "write");
        }
    }

    /** Whether the descriptor is closed by execve(2): fcntl(2) F_GETFD and FD_CLOEXEC. */
    public boolean isCloseOnExec() {
        long flags = checked(Syscall.attempt(SyscallNumbers.FCNTL, fd(), linux_h.F_GETFD()), "fcntl");
        return (flags & linux_h.FD_CLOEXEC()) != 0;
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
        long result = Syscall.attempt(linux_h.SYS_close(), closing);
        if (result < 0 && result != -linux_h.EINTR()) {
            throw Errno.failure("close", "fd " + closing, (int) -result);
        }
    }

    /** {@link Syscall#checked} with this descriptor as the subject, named only on failure. */
    private long checked(long result, String call) {
        if (result < 0) {
            throw Errno.failure(call, "fd " + fd, (int) -result);
        }
        return result;
    }

    @Override
    public String toString() {
        return fd == CLOSED ? "fd (closed)" : "fd " + fd;
    }
}
