package dev.canal.runtime.sys;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs a task on a new platform thread and waits for it. For work that changes the calling
 * thread's own kernel state (its namespaces, root, working directory or credentials: all per
 * thread once set with the raw system calls), which must never stay on a thread of the caller.
 */
public final class ThrowawayThread {

    private ThrowawayThread() {}

    /**
     * Runs {@code task} on a thread named {@code name}. A runtime exception it throws is thrown
     * here as it is; anything else becomes an {@link IllegalStateException} saying
     * {@code purpose} failed.
     */
    public static void run(String name, String purpose, Runnable task) {
        call(name, purpose, () -> {
            task.run();
            return null;
        });
    }

    /** {@link #run}, for a task with a result. */
    public static <T> T call(String name, String purpose, Supplier<T> task) {
        return start(name, purpose, task).join();
    }

    /**
     * {@link #call}, without waiting: the task runs while the caller goes on, and
     * {@link Started#join} waits for its outcome. The caller must join it.
     */
    public static <T> Started<T> start(String name, String purpose, Supplier<T> task) {
        var result = new AtomicReference<T>();
        var failure = new AtomicReference<Throwable>();
        Thread thread = Thread.ofPlatform().name(name).start(() -> {
            try {
                result.set(task.get());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        return new Started<>(thread, purpose, result, failure);
    }

    /** A task {@link #start}ed on its thread. */
    public static final class Started<T> {

        private final Thread thread;
        private final String purpose;
        private final AtomicReference<T> result;
        private final AtomicReference<Throwable> failure;

        private Started(Thread thread, String purpose, AtomicReference<T> result, AtomicReference<Throwable> failure) {
            this.thread = thread;
            this.purpose = purpose;
            this.result = result;
            this.failure = failure;
        }

        /** Waits for the task and returns its result, or throws as {@link #call} does; again on each call. */
        public T join() {
            return outcome(thread, purpose, result, failure);
        }

        /**
         * Waits for the task and hands its result to {@code release} (to close what it opened).
         * A task that failed has nothing to release, and its failure is not thrown again here:
         * whoever needed the result has had it from {@link #join}, or the caller is failing
         * already.
         */
        public void release(Consumer<T> release) {
            T value;
            try {
                value = join();
            } catch (RuntimeException failed) {
                return;
            }
            release.accept(value);
        }
    }

    /**
     * {@link #call}, with a pause: the task is given a {@link Runnable} to call once, at the
     * point where {@code onCaller} must happen. The task's thread then waits while the calling
     * thread runs {@code onCaller}, with the caller's own namespaces, root and credentials
     * (a thread the task started would share the task's). If {@code onCaller} throws, the
     * pause throws too, so the task unwinds, and the caller's exception is thrown here.
     */
    public static <T> T callPausing(String name, String purpose, Function<Runnable, T> task, Runnable onCaller) {
        var paused = new CompletableFuture<Void>();
        var resumed = new CompletableFuture<Void>();
        var finished = new CompletableFuture<Void>();
        var result = new AtomicReference<T>();
        var failure = new AtomicReference<Throwable>();
        Thread thread = Thread.ofPlatform().name(name).start(() -> {
            try {
                result.set(task.apply(() -> {
                    paused.complete(null);
                    resumed.join();
                }));
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                finished.complete(null);
            }
        });
        CompletableFuture.anyOf(paused, finished).join();
        if (paused.isDone()) {
            try {
                onCaller.run();
                resumed.complete(null);
            } catch (RuntimeException e) {
                resumed.completeExceptionally(e);
                try {
                    outcome(thread, purpose, result, failure);
                } catch (RuntimeException unwound) {
                    if (unwound.getCause() != e) { // not just the pause rethrowing e
                        e.addSuppressed(unwound);
                    }
                }
                throw e;
            }
        }
        return outcome(thread, purpose, result, failure);
    }

    private static <T> T outcome(
            Thread thread, String purpose, AtomicReference<T> result, AtomicReference<Throwable> failure) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + purpose, e);
        }
        if (failure.get() instanceof RuntimeException e) {
            throw e;
        }
        if (failure.get() != null) {
            throw new IllegalStateException(purpose + " failed", failure.get());
        }
        return result.get();
    }
}
