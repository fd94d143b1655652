package dev.canal.runtime.container;

import dev.canal.runtime.oci.ProcessConfig;
import dev.canal.runtime.oci.RlimitNames;
import dev.canal.runtime.sys.Credentials;
import dev.canal.runtime.sys.ResourceLimits;
import dev.canal.runtime.sys.ThrowawayThread;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code process.oomScoreAdj}, written to /proc/PID/oom_score_adj (proc(5)), and
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
        if (process.oomScoreAdj() != null) {
            writeOomScoreAdjustment(pid, process.oomScoreAdj());
        }
        if (process.rlimits().isEmpty()) {
            return;
        }
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

    /**
     * From -1000 (never chosen by the OOM killer) to 1000 (chosen first). Raising it is always
     * allowed; lowering it below the lowest value the process had needs CAP_SYS_RESOURCE.
     */
    private static void writeOomScoreAdjustment(int pid, int adjustment) {
        try {
            Files.writeString(Path.of("/proc/" + pid + "/oom_score_adj"), Integer.toString(adjustment));
        } catch (IOException e) {
            throw new ContainerException("process.oomScoreAdj: writing " + adjustment + " to /proc/" + pid
                    + "/oom_score_adj: " + e.getMessage());
        }
    }

    /** The lines of /proc/PID/status (proc(5)). */
    private static List<String> readStatus(int pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The real id on its "Uid:" or "Gid:" line, as the host sees it: 32 bits, unsigned. */
    private static int realId(List<String> status, String line) {
        return status.stream()
                .filter(l -> l.startsWith(line))
                .map(l -> Integer.parseUnsignedInt(
                        l.substring(line.length()).strip().split("\\s+")[0]))
                .findFirst()
                .orElseThrow();
    }

    private static void setAll(int pid, ProcessConfig process) {
        for (ProcessConfig.Rlimit rlimit : process.rlimits()) {
            ResourceLimits.set(pid, RlimitNames.number(rlimit.type()), rlimit.soft(), rlimit.hard());
        }
    }
}
