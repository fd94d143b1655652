package dev.canal.cli.run;

import dev.canal.engine.Engine;
import dev.canal.runtime.sys.OwnedFd;
import java.util.concurrent.CompletableFuture;

/**
 * {@code canal run} without {@code -d}: this canal process is the container's monitor, as the
 * docker CLI attaches to a container before starting it. Its output, which the engine copies into
 * the log, comes to canal's standard streams; with {@code -i} canal's input goes in; signals
 * canal gets go on to the container ({@link SignalForwarding}); canal waits for the exit status
 * (and, with {@code --rm}, for the removal) and returns it.
 */
final class ForegroundRun {

    private final Engine engine;
    private final String id;
    private final boolean interactive;
    private final boolean tty;
    private final boolean remove;

    ForegroundRun(Engine engine, String id, boolean interactive, boolean tty, boolean remove) {
        this.engine = engine;
        this.id = id;
        this.interactive = interactive;
        this.tty = tty;
        this.remove = remove;
    }

    /** Starts the container attached and returns its exit status; a start that fails throws StartFailedException. */
    int await() throws InterruptedException {
        // Attached and waited for before the start, so that neither output nor the exit is missed.
        engine.attach(id, new StandardStreams());
        CompletableFuture<Integer> exit = engine.waitFor(id, "next-exit");
        CompletableFuture<Integer> removed = AutoRemoval.awaited(engine, id, remove);
        SignalForwarding.toContainer(engine, id);
        engine.start(id);
        OwnedFd input = interactive ? awaitInput() : null;
        int status;
        if (tty) {
            try (var session = TerminalSession.attach(input, (rows, columns) -> engine.resize(id, rows, columns))) {
                status = exit.join();
            }
        } else {
            if (input != null) {
                InputCopy.start(input, () -> engine.closeInput(id));
            }
            status = exit.join();
        }
        AutoRemoval.await(engine, id, removed);
        return status;
    }

    /** The container's standard input (a pipe, or its terminal's master), once the engine has connected it. */
    private OwnedFd awaitInput() {
        try {
            return engine.awaitInput(id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while container " + id + " started", e);
        }
    }
}
