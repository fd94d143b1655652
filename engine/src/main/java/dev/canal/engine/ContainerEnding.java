package dev.canal.engine;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.container.ContainerException;
import dev.canal.runtime.container.ContainerStatus;
import dev.canal.runtime.container.Containers;
import dev.canal.runtime.sys.Backoff;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

public final class ContainerEnding {
    private static final Duration RUN_STEP = Duration.ofSeconds(60L);
    private final Containers runtime;
    private final ContainerStore store;

    public ContainerEnding(Containers runtime, ContainerStore store) {
        this.runtime = runtime;
        this.store = store;
    }

    public boolean isRunning(ContainerRecord record) {
        return this.hasProcess(record) || this.store.runHolds(record.id());
    }

    private boolean hasProcess(ContainerRecord record) {
        try {
            return this.runtime.exists(record.id())
                    && this.runtime.load(record.id()).status() != ContainerStatus.STOPPED;
        } catch (ContainerException | UncheckedIOException beingDeleted) {
            return false;
        }
    }

    public void stop(ContainerRecord record, Duration timeout) {
        this.stop(record, linux_h.SIGTERM(), timeout);
    }

    public void stop(ContainerRecord record, int signal, Duration timeout) {
        if (!within(RUN_STEP, () -> this.hasProcess(record) || !this.store.runHolds(record.id()))) {
            throw new IllegalStateException("container " + record.name() + " has neither started nor ended within "
                    + RUN_STEP.toSeconds() + " s");
        }

        if (this.hasProcess(record)
                && (timeout.isZero() || !this.signalAndAwait(record, signal, timeout))
                && !this.signalAndAwait(record, linux_h.SIGKILL(), RUN_STEP)) {
            throw new IllegalStateException(
                    "container " + record.name() + " still runs " + RUN_STEP.toSeconds() + " s after SIGKILL");
        }

        if (!within(RUN_STEP, () -> !this.store.runHolds(record.id()))) {
            throw new IllegalStateException("the canal run of container " + record.name()
                    + " has not recorded its end within " + RUN_STEP.toSeconds() + " s");
        }
    }

    private boolean signalAndAwait(ContainerRecord record, int signal, Duration limit) {
        try {
            this.runtime.load(record.id()).kill(signal);
        } catch (ContainerException stoppedMeanwhile) {
            return true;
        }

        return within(limit, () -> !this.hasProcess(record));
    }

    private static boolean within(Duration limit, BooleanSupplier done) {
        long deadline = System.nanoTime() + limit.toNanos();
        Backoff backoff = new Backoff();

        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }

            backoff.pause();
        }

        return true;
    }

    public void deleteLeftovers(ContainerRecord record) {
        if (this.runtime.exists(record.id())) {
            this.runtime.load(record.id()).delete(true);
        }
    }
}
