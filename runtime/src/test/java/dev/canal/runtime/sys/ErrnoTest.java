package dev.canal.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.canal.bindings.linux.linux_h;
import org.junit.jupiter.api.Test;

class ErrnoTest {

    @Test
    void namesAndDescribesErrnoLikeTheCLibrary() {
        assertEquals("EPERM", Errno.name(linux_h.EPERM()));
        assertEquals("ENOENT", Errno.name(linux_h.ENOENT()));
        assertEquals("Invalid argument", Errno.description(linux_h.EINVAL()));
        assertEquals("errno 4095", Errno.name(4095));
    }

    @Test
    void aFailedCallCarriesTheCallTheErrnoAndThePath() {
        String missing = "/nonexistent-canal-" + ProcessHandle.current().pid();
        var error = assertThrows(SyscallException.class, () -> OwnedFd.open(missing, linux_h.O_RDONLY(), 0));
        assertEquals("open", error.call());
        assertEquals(missing, error.subject());
        assertEquals(linux_h.ENOENT(), error.errno());
        assertEquals("ENOENT", error.errnoName());
        assertEquals("open(" + missing + "): ENOENT (No such file or directory)", error.getMessage());
    }
}
