package dev.canal.cli.run;

import dev.canal.engine.Engine;
import dev.canal.engine.NoSuchObjectException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code --rm}: the process that monitors a container waits, once it has ended, for the engine to
 * remove it, so that it does not exit halfway through. An {@code rm -f} from another process
 * removes it there, and this engine's waiters are never told: then the container is gone
 * already, and a short wait covers the end of a removal of our own that was under way.
 */
final class AutoRemoval {

    private static final long LOOK_AGAIN_MILLIS = 100;
    private static final long LAST_STEPS_SECONDS = 2;

    private AutoRemoval() {}

    /** The engine's future for the {@code removed} condition, registered before the container started. */
    static CompletableFuture<Integer> awaited(Engine engine, String id, boolean remove) {
        return remove ? engine.waitFor(id, "removed") : CompletableFuture.completedFuture(0);
    }

    static void await(Engine engine, String id, CompletableFuture<Integer> removed) throws InterruptedException {
        try {
            while (exists(engine, id)) {
                try {
                    removed.get(LOOK_AGAIN_MILLIS, TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException stillThere) {
                    // Look again whether another process removed it.
                }
            }
            removed.get(LAST_STEPS_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException removedElsewhere) {
            // Its record went without this engine removing it.
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "removing container " + id + " failed: " + e.getCause().getMessage(), e);
        }
    }

    private static boolean exists(Engine engine, String id) {
        try {
            engine.find(id);
            return true;
        } catch (NoSuchObjectException gone) {
            return false;
        }
    }
}
