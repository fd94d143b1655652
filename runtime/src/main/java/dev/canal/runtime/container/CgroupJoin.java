package dev.canal.runtime.container;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * Moves the held first process into its cgroup: for the thread engine on a thread of its own,
 * so that the move goes on while the caller sets up the container's namespaces; {@link #await}
 * before anything needs the process in its cgroup (the createRuntime hooks, the start).
 *
 * <p>Why it is worth a thread: a write to cgroup.procs takes the kernel's
 * {@code cgroup_threadgroup_rwsem} for writing (cgroup_attach_lock in kernel/cgroup/cgroup.c),
 * a per-CPU semaphore whose writer first waits for an RCU grace period unless the hierarchy is
 * mounted with {@code favordynmods} (cgroups(7)). On cgroup v1, which has a hierarchy per
 * controller, that wait was 5 to 14 ms of the create on these machines, and nothing of it is
 * CPU: the rootfs's mounts fit in it.
 *
 * <p>Only for an engine whose process makes no cgroup namespace of its own (the thread engine):
 * such a namespace's root is the cgroup the process is in when it makes it, so the clone engine
 * needs the move done before it goes on.
 */
final class CgroupJoin implements IntConsumer {

    /** As long as a write to cgroup.procs may take on a loaded machine, and far longer. */
    private static final long LONGEST_MILLIS = 60_000;

    private final IntConsumer join;
    private final boolean concurrently;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private boolean started;

    /** {@code join} moves a pid; {@code concurrently} only for an engine that makes no cgroup namespace. */
    CgroupJoin(IntConsumer join, boolean concurrently) {
        this.join = join;
        this.concurrently = concurrently;
    }

    /** Moves {@code pid}, or with {@code concurrently} starts moving it and returns at once. */
    @Override
    public void accept(int pid) {
        started = true;
        if (!concurrently) {
            join.accept(pid);
            done.complete(null);
            return;
        }
        Thread.ofPlatform().daemon().name("canal-cgroup-join").start(() -> {
            try {
                join.accept(pid);
                done.complete(null);
            } catch (Throwable failure) {
                done.completeExceptionally(failure);
            }
        });
    }

    /** Waits until the process is in its cgroup; throws why it could not be moved. */
    void await() {
        if (!started) {
            throw new IllegalStateException("no process was given to move into the cgroup");
        }
        try {
            done.get(LONGEST_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("moving the container's process into its cgroup failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while moving the container's process into its cgroup", e);
        } catch (TimeoutException e) {
            throw new ContainerException(
                    "moving the container's process into its cgroup took more than " + LONGEST_MILLIS + " ms");
        }
    }

    /**
     * For the undoing of a failed create: waits until a started move has ended, whatever its
     * outcome, so that the cgroup is not removed under it.
     */
    void awaitEnded() {
        if (started) {
            try {
                await();
            } catch (RuntimeException endedBadly) {
                // What failed the create is reported, not this.
            }
        }
    }
}
