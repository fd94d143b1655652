package dev.canal.runtime.container;

import dev.canal.runtime.oci.ProcessConfig;
import dev.canal.runtime.oci.RlimitNames;
import dev.canal.runtime.sys.Credentials;
import dev.canal.runtime.sys.ResourceLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

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
        int uid = hostId(pid, "Uid:");
        int gid = hostId(pid, "Gid:");
        if (uid == 0 && gid == 0) {
            setAll(pid, process);
            return;
        }
        var failure = new AtomicReference<RuntimeException>();
        Thread thread = Thread.ofPlatform().name("canal-rlimits").start(() -> {
            try {
                Credentials.setGid(gid);
                Credentials.setUid(uid);
                setAll(pid, process);
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException("interrupted while setting resource limits", e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** The real id on a "Uid:" or "Gid:" line of /proc/PID/status (proc(5)), as the host sees it. */
    private static int hostId(int pid, String line) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith(line))
                    .map(l -> Integer.parseInt(l.substring(line.length()).strip().split("\\s+")[0]))
                    .findFirst()
                    .orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void setAll(int pid, ProcessConfig process) {
        for (ProcessConfig.Rlimit rlimit : process.rlimits()) {
            ResourceLimits.set(pid, RlimitNames.number(rlimit.type()), rlimit.soft(), rlimit.hard());
        }
    }
}
