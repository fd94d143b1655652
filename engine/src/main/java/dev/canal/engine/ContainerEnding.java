package dev.canal.engine;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.container.ContainerException;
import dev.canal.runtime.container.ContainerStatus;
import dev.canal.runtime.container.Containers;
import dev.canal.runtime.sys.Backoff;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Ending a container that another process runs (a foreground {@code canal run}, or another
 * daemon), for stop and forced removal: a signal to its first process (kill(2)), SIGKILL after
 * the grace period, then waiting until that process has recorded the exit status and unmounted
 * the layers, as docker's daemon does before it answers. The runner holds the container's run
 * lock from start to that record ({@link ContainerStore#holdWhileRunning}); in between the
 * runtime knows its process.
 */
public final class ContainerEnding {

    /**
     * The longest wait for a runner to bring its container up or to finish after SIGKILL: a JVM
     * that clones, a cgroup to empty, an unmount, on a loaded two-core machine.
     */
    private static final Duration RUN_STEP = Duration.ofSeconds(60);

    private final Containers runtime;
    private final ContainerStore store;

    public ContainerEnding(Containers runtime, ContainerStore store) {
        this.runtime = runtime;
        this.store = store;
    }

    /** Whether the container is up: its runner is at work, or the runtime has its process. */
    public boolean isRunning(ContainerRecord record) {
        return hasProcess(record) || store.runHolds(record.id());
    }

    /** Whether the runtime has the container's process: created, running or paused. */
    private boolean hasProcess(ContainerRecord record) {
        try {
            return runtime.exists(record.id()) && runtime.load(record.id()).status() != ContainerStatus.STOPPED;
        } catch (ContainerException | UncheckedIOException beingDeleted) {
            // Its runner deletes it as we look (state directory, cgroup): it is ending, and the
            // run lock says when that is done.
            return false;
        }
    }

    /** docker stop with the default signal, SIGTERM. */
    public void stop(ContainerRecord record, Duration timeout) {
        stop(record, linux_h.SIGTERM(), timeout);
    }

    /**
     * docker stop: {@code signal}, and SIGKILL if it still runs after {@code timeout} (at once
     * for zero); then waits for its runner to record the end. A container still being created
     * is waited for first; a stopped one is left as it is.
     */
    public void stop(ContainerRecord record, int signal, Duration timeout) {
        if (!within(RUN_STEP, () -> hasProcess(record) || !store.runHolds(record.id()))) {
            throw new IllegalStateException("container " + record.name() + " has neither started nor ended within "
                    + RUN_STEP.toSeconds() + " s");
        }
        if (hasProcess(record)
                && (timeout.isZero() || !signalAndAwait(record, signal, timeout))
                && !signalAndAwait(record, linux_h.SIGKILL(), RUN_STEP)) {
            throw new IllegalStateException(
                    "container " + record.name() + " still runs " + RUN_STEP.toSeconds() + " s after SIGKILL");
        }
        if (!within(RUN_STEP, () -> !store.runHolds(record.id()))) {
            throw new IllegalStateException("the canal run of container " + record.name()
                    + " has not recorded its end within " + RUN_STEP.toSeconds() + " s");
        }
    }

    /** Sends {@code signal}; true once the container has stopped, false if it still runs after {@code limit}. */
    private boolean signalAndAwait(ContainerRecord record, int signal, Duration limit) {
        try {
            runtime.load(record.id()).kill(signal);
        } catch (ContainerException stoppedMeanwhile) {
            return true;
        }
        return within(limit, () -> !hasProcess(record));
    }

    /** Whether {@code done} comes true within {@code limit}, looking again after each short pause. */
    private static boolean within(Duration limit, BooleanSupplier done) {
        var backoff = Backoff.until(limit);
        while (!done.getAsBoolean()) {
            if (!backoff.pause()) {
                return false;
            }
        }
        return true;
    }

    /**
     * What a runner that ended without cleaning up left of the container in the runtime (its
     * JVM was killed): the process, cgroup and state go as with {@code canal-oci delete --force}.
     */
    public void deleteLeftovers(ContainerRecord record) {
        if (runtime.exists(record.id())) {
            runtime.load(record.id()).delete(true);
        }
    }
}
