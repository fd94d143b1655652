package dev.canal.runtime.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Telling whether a pid still names the process Canal started. Pids are reused; a container
 * that exited long ago must not be reported running because another process now has its pid.
 * The start time in /proc/PID/stat (field 22, clock ticks since boot) tells them apart.
 */
public final class ProcessIdentity {

    /** What {@link #startTime} returns for a pid that names no process. */
    static final long GONE = -1;

    private ProcessIdentity() {}

    /**
     * The start time of process {@code pid}, or {@link #GONE}. A zombie (exited, not yet reaped)
     * counts as gone: it will never run again. Public for the AOT training's made-up containers,
     * whose recorded process must be a real one to train {@code kill}.
     */
    public static long startTime(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) is in parentheses and may contain spaces and ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (fields[0].equals("Z") || fields[0].equals("X")) {
                return GONE;
            }
            return Long.parseLong(fields[19]);
        } catch (IOException noSuchProcess) {
            return GONE;
        }
    }
}
