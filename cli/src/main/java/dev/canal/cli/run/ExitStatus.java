package dev.canal.cli.run;

import dev.canal.runtime.rootfs.RootDirectory;
import java.nio.file.Path;
import java.util.List;

/**
 * canal run's exit status when the container's program never ran, as docker run's: 127 when the
 * program was not found, 126 when it exists but cannot be run (not executable, a directory, a
 * format the kernel refuses), 125 for every other failure, which is canal's own.
 */
final class ExitStatus {

    static final int CANAL_FAILED = 125;
    static final int CANNOT_INVOKE = 126;
    static final int NOT_FOUND = 127;

    private ExitStatus() {}

    /**
     * The runtime reports a missing program as {@code process.args[0]: "x": executable file
     * not found in $PATH} (or {@code no such executable file in the container} for a path) at
     * create, and an execve(2) refusal as {@code starting its program failed} at start.
     */
    static int ofFailure(Exception failure, List<String> args, Path rootfs) {
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

    private static boolean existsInside(Path rootfs, String program) {
        try (var root = RootDirectory.open(rootfs.toString())) {
            return root.exists(program);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
