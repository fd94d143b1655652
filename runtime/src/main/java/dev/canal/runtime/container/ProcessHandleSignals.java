package dev.canal.runtime.container;

import dev.canal.runtime.sys.Signals;
import java.util.Optional;

/**
 * SIGKILL and SIGTERM through the JDK's {@link ProcessHandle} ({@code destroyForcibly} and
 * {@code destroy}, which on Linux are kill(2) with those two signals, made by the JDK's own
 * native code: ProcessHandleImpl_unix.c). A command that sends only these links no FFM
 * downcall, whose set-up a new JVM pays with some 30 classes spun at run time that no AOT cache
 * of JDK 25 holds (docs/start-time.md).
 *
 * <p>The signal reaches only the process {@code create} started, never a later one given its
 * pid, as with runc's start time check: {@link ProcessHandle#of} notes the start time of the
 * process the pid names at that moment; /proc/PID/stat must then still show the start time the
 * state recorded, so the handle is the container's (its process existed before the handle was
 * taken and still exists after); and {@code destroy} sends nothing when the pid's start time has
 * changed since the handle was taken (ProcessHandleImpl's destroy0 compares it just before
 * kill(2)). What is left is the moment between that comparison and kill(2) in the JDK, as in
 * runc, which reads the start time and then signals.
 */
final class ProcessHandleSignals {

    private ProcessHandleSignals() {}

    /**
     * Sends {@code signal} to process {@code pid} if it is SIGKILL or SIGTERM and the process is
     * still the one that started at {@code startTime} (clock ticks, as {@link ProcessIdentity}
     * reads them). Returns whether it was sent: false for another signal, a process gone or
     * replaced, or a kill(2) the kernel refused.
     */
    static boolean send(int pid, long startTime, int signal) {
        if (signal != Signals.SIGKILL && signal != Signals.SIGTERM) {
            return false;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || ProcessIdentity.startTime(pid) != startTime) {
            return false;
        }
        return signal == Signals.SIGKILL
                ? handle.get().destroyForcibly()
                : handle.get().destroy();
    }
}
