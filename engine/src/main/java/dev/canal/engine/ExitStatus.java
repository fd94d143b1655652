package dev.canal.engine;

import dev.canal.runtime.rootfs.RootDirectory;
import java.nio.file.Path;
import java.util.List;

/**
 * The exit status of a container that did not start, by docker's convention (docker run(1),
 * "Exit Status"), which follows the shell's: 125 when the engine itself failed, 126 when the
 * program exists but cannot be invoked, 127 when it cannot be found. Scripts tell these apart
 * from the program's own statuses.
 */
public final class ExitStatus {

    public static final int CANAL_FAILED = 125;
    public static final int CANNOT_INVOKE = 126;
    public static final int NOT_FOUND = 127;

    private ExitStatus() {}

    /**
     * Classifies the runtime's failure to start {@code args} in {@code rootfs}. The runtime says
     * "no such executable file" both for a missing path and for one it could not execute
     * (execve(2) ENOENT also covers a missing interpreter), so the rootfs is looked at.
     */
    public static int ofFailure(Exception failure, List<String> args, Path rootfs) {
        String message = String.valueOf(failure.getMessage());
        if (message.contains("starting its program failed")) {
            return CANNOT_INVOKE;
        }
        if (message.contains("executable file not found in $PATH")) {
            return NOT_FOUND;
        }
        if (message.contains("no such executable file in the container")) {
            return existsInside(rootfs, args.getFirst()) ? CANNOT_INVOKE : NOT_FOUND;
        }
        return CANAL_FAILED;
    }

    /** Whether {@code program} exists in the rootfs, resolved inside it as the container would. */
    private static boolean existsInside(Path rootfs, String program) {
        try (RootDirectory root = RootDirectory.open(rootfs.toString())) {
            return root.exists(program);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
