package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;

/**
 * chdir(2) and fchdir(2). The working directory belongs to the filesystem context, which all
 * threads of a JVM share unless a thread has called unshare(CLONE_FS): only such a thread may
 * change it without moving the whole JVM.
 */
public final class WorkingDirectory {

    private WorkingDirectory() {}

    /** chdir(2). */
    public static void change(String path) {
        try (var arena = Arena.ofConfined()) {
            Syscall.call(
                    "chdir",
                    path,
                    linux_h.SYS_chdir(),
                    CStrings.allocate(arena, path).address());
        }
    }

    /** fchdir(2): into the directory {@code directory} refers to. */
    public static void change(OwnedFd directory) {
        Syscall.call("fchdir", directory.toString(), linux_h.SYS_fchdir(), directory.fd());
    }
}
