package dev.canal.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.canal.bindings.linux.linux_h;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SyscallTest {

    @Test
    void eachThreadIsATaskWithItsOwnId() throws Exception {
        int mine = Processes.tid();
        assertEquals(
                "task/" + mine,
                Path.of(
                                "/proc",
                                Files.readSymbolicLink(Path.of("/proc/thread-self"))
                                        .toString())
                        .subpath(2, 4)
                        .toString(),
                "/proc/thread-self points at PID/task/TID");
        var other = new AtomicInteger();
        Thread thread = Thread.ofPlatform().start(() -> other.set(Processes.tid()));
        thread.join();
        assertNotEquals(mine, other.get());
        assertNotEquals(0, other.get());
    }

    @Test
    void anUnknownSystemCallIsENOSYS() {
        var error = assertThrows(SyscallException.class, () -> Syscall.call("syscall-100000", "", 100_000));
        assertEquals("ENOSYS", error.errnoName());
        assertEquals("syscall-100000: ENOSYS (Function not implemented)", error.getMessage());
    }

    @Test
    void anAttemptReturnsMinusTheErrnoAsTheKernelDoes() {
        assertEquals(-linux_h.EBADF(), Syscall.attempt(linux_h.SYS_close(), -1));
        assertEquals(Processes.pid(), Syscall.attempt(linux_h.SYS_getpid()));
    }

    @Test
    void refusesMoreArgumentsThanTheKernelReads() {
        assertThrows(IllegalArgumentException.class, () -> Syscall.call("getpid", "", 39, 1, 2, 3, 4, 5, 6, 7));
    }
}
