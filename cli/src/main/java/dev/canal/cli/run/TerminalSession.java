package dev.canal.cli.run;

import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.TerminalModes;
import sun.misc.Signal;

/**
 * {@code run -t} and {@code exec -t}: canal's terminal joined to the container's, as
 * {@code docker run -it} does; the engine copies the container's terminal to canal's output
 * ({@link StandardStreams}). With input, canal's terminal is put in raw mode while it lasts (so
 * Ctrl-C, line editing and echo are the container terminal's business) and restored on
 * {@link #close()}, and what is typed goes to the container's terminal; a SIGWINCH (the window
 * was resized) is passed on as the container terminal's new size (TIOCSWINSZ).
 */
final class TerminalSession implements AutoCloseable {

    private static final int STDIN = 0;
    private static final int STDOUT = 1;

    /** How the container's terminal gets a new size: through the engine, or on an exec's master. */
    interface WindowSize {
        void set(int rows, int columns);
    }

    private final TerminalModes.Saved saved;

    private TerminalSession(TerminalModes.Saved saved) {
        this.saved = saved;
    }

    /** Joins the container's terminal; {@code master} (null without {@code -i}) gets canal's standard input. */
    static TerminalSession attach(OwnedFd master, WindowSize windowSize) {
        TerminalModes.Saved saved =
                master != null && TerminalModes.isTerminal(STDIN) ? TerminalModes.makeRaw(STDIN) : null;
        if (TerminalModes.isTerminal(STDOUT)) {
            Signal.handle(new Signal("WINCH"), signal -> {
                TerminalModes.Size size = TerminalModes.size(STDOUT);
                windowSize.set(size.rows(), size.columns());
            });
        }
        if (master != null) {
            InputCopy.start(master, () -> {});
        }
        return new TerminalSession(saved);
    }

    /** The caller's terminal size, if standard output is one. */
    static TerminalModes.Size callerSize() {
        return TerminalModes.isTerminal(STDOUT) ? TerminalModes.size(STDOUT) : new TerminalModes.Size(0, 0);
    }

    @Override
    public void close() {
        if (saved != null) {
            TerminalModes.restore(saved);
        }
    }
}
