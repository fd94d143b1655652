package dev.canal.runtime.spawn;

import java.time.Duration;

/**
 * A container's first process, created and held before execve(2) until its {@link ExecFifo} is
 * released.
 *
 * @param pid    its pid, as the host sees it
 * @param engine the engine that created it
 * @param exec   waits, after the release, until the process has called execve(2), and throws
 *               with the reason if it could not; only possible in the JVM that created it
 * @param mountedProc whether the process mounted the spec's proc mounts itself, as it must
 *               for a new pid namespace on a kernel without procfs {@code pidns}
 */
public record SpawnedProcess(int pid, SpawnEngine engine, ExecWait exec, boolean mountedProc) {

    /** Waiting for a released process to exec. */
    @FunctionalInterface
    public interface ExecWait {
        /** Returns once the program runs; throws if it could not be started within {@code timeout}. */
        void await(Duration timeout);
    }
}
