package dev.canal.runtime.container;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a task on a new platform thread and waits for it. For work that changes the calling
 * thread's own kernel state (its namespaces, root, working directory or credentials: all per
 * thread once set with the raw system calls), which must never stay on a thread of the caller.
 */
final class ThrowawayThread {

    private ThrowawayThread() {}

    /**
     * Runs {@code task} on a thread named {@code name}. A runtime exception it throws is thrown
     * here as it is; anything else becomes a {@link ContainerException} saying {@code purpose}
     * failed.
     */
    static void run(String name, String purpose, Runnable task) {
        var failure = new AtomicReference<Throwable>();
        Thread thread = Thread.ofPlatform().name(name).start(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException("interrupted while " + purpose, e);
        }
        if (failure.get() instanceof RuntimeException e) {
            throw e;
        }
        if (failure.get() != null) {
            throw new ContainerException(purpose + " failed", failure.get());
        }
    }
}
