package dev.canal.images.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Blobs moving a few at a time, as docker moves them (pulls three, pushes five): the first
 * failure interrupts the others, waits for them and is rethrown, so nothing is still writing
 * when the caller cleans up.
 */
final class ParallelTransfers {

    private ParallelTransfers() {}

    /** Runs every transfer, at most {@code atOnce} together, on threads named {@code threadName}N. */
    static void run(List<Runnable> transfers, int atOnce, String threadName) {
        if (transfers.isEmpty()) {
            return;
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(
                Math.min(atOnce, transfers.size()),
                Thread.ofPlatform().name(threadName, 0).daemon().factory())) {
            var running = new ArrayList<Future<?>>();
            for (Runnable transfer : transfers) {
                running.add(pool.submit(transfer));
            }
            for (Future<?> transfer : running) {
                awaitOrCancelAll(transfer, pool);
            }
        }
    }

    /** Waits for one transfer; on its failure the others are interrupted and awaited, then it is rethrown. */
    private static void awaitOrCancelAll(Future<?> transfer, ExecutorService pool) {
        try {
            transfer.get();
        } catch (ExecutionException e) {
            pool.shutdownNow();
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted", e);
        }
    }
}
