package dev.canal.runtime.container;

import dev.canal.runtime.oci.ProcessConfig;
import dev.canal.runtime.oci.RlimitNames;
import dev.canal.runtime.sys.Credentials;
import dev.canal.runtime.sys.ResourceLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code process.rlimits}, set with prlimit(2) on the held process. Limits belong to a whole
 * process, so they cannot be set on the spawning thread without changing the JVM's own.
 *
 * <p>prlimit(2) on another process needs either CAP_SYS_RESOURCE or the same real, effective
 * and saved user and group ids as the target. Runtimes often run without CAP_SYS_RESOURCE (these
 * very machines do), so for a process that is not host root the limits are set from a throwaway
 * thread that first takes the process's host uid and gid (in a user namespace they differ from
 * the spec's); the change is per thread (see {@link Credentials}) and the thread ends right
 * after.
 */
final class ProcessLimits {

    private ProcessLimits() {}

    static void apply(int pid, ProcessConfig process) {
        List<String> status = readStatus(pid);
        int uid = realId(status, "Uid:");
        int gid = realId(status, "Gid:");
        if (uid == 0 && gid == 0) {
            setAll(pid, process);
            return;
        }
        ThrowawayThread.run("canal-rlimits", "setting resource limits", () -> {
            Credentials.setGid(gid);
            Credentials.setUid(uid);
            setAll(pid, process);
        });
    }

    /** The lines of /proc/PID/status (proc(5)). */
    private static List<String> readStatus(int pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The real id on its "Uid:" or "Gid:" line, as the host sees it. */
    private static int realId(List<String> status, String line) {
        return status.stream()
                .filter(l -> l.startsWith(line))
                .map(l -> Integer.parseInt(l.substring(line.length()).strip().split("\\s+")[0]))
                .findFirst()
                .orElseThrow();
    }

    private static void setAll(int pid, ProcessConfig process) {
        for (ProcessConfig.Rlimit rlimit : process.rlimits()) {
            ResourceLimits.set(pid, RlimitNames.number(rlimit.type()), rlimit.soft(), rlimit.hard());
        }
    }
}
