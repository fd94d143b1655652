package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An anonymous file in memory (memfd_create(2)): it behaves like a regular file, belongs to no
 * file system, and is gone when its last descriptor is closed. Handed to a child as a standard
 * stream, it holds any amount of input without a writer thread, and takes any amount of output
 * without a reader thread, unlike a pipe, whose 64 KiB buffer blocks the writer once full
 * (pipe(7)).
 */
public final class MemoryFile {

    /** include/uapi/linux/memfd.h: MFD_CLOEXEC 0x0001U (not in the generated bindings). */
    private static final int MFD_CLOEXEC = 0x0001;

    private MemoryFile() {}

    /** memfd_create(2), close-on-exec; {@code name} shows in /proc/PID/fd as "memfd:NAME". */
    public static OwnedFd create(String name) {
        try (var arena = Arena.ofConfined()) {
            return OwnedFd.adopt((int) Syscall.call(
                    "memfd_create",
                    name,
                    linux_h.SYS_memfd_create(),
                    CStrings.allocate(arena, name).address(),
                    MFD_CLOEXEC));
        }
    }

    /** A new file holding {@code contents}, opened for reading from its start. */
    public static OwnedFd holding(String name, byte[] contents) {
        try (var written = create(name)) {
            written.writeFully(contents);
            return reopen(written, linux_h.O_RDONLY());
        }
    }

    /**
     * Opens the file again through /proc/self/fd (proc(5)): a new open file description, with
     * its own offset at 0, where the first one's offset stays wherever writing left it.
     */
    public static OwnedFd reopen(OwnedFd file, int flags) {
        return OwnedFd.open(procPath(file).toString(), flags, 0);
    }

    /** Everything the file holds, read from its start. */
    public static byte[] contents(OwnedFd file) {
        try {
            return Files.readAllBytes(procPath(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path procPath(OwnedFd file) {
        return Path.of("/proc/self/fd/" + file.fd());
    }
}
