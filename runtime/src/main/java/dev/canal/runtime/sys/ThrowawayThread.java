package dev.canal.runtime.sys;

import java.util.concurrent.atomic.AtomicReference;
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
        var result = new AtomicReference<T>();
        var failure = new AtomicReference<Throwable>();
        Thread thread = Thread.ofPlatform().name(name).start(() -> {
            try {
                result.set(task.get());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
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
