package dev.canal.cli.run;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.Pseudoterminal;
import dev.canal.runtime.sys.SyscallException;
import dev.canal.runtime.sys.TerminalModes;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import sun.misc.Signal;

/**
 * {@code run -t}: the container's pseudoterminal joined to canal's own standard streams, as
 * {@code docker run -it} does. Canal's terminal is put in raw mode while it lasts (so Ctrl-C,
 * line editing and echo are the container terminal's business) and restored on
 * {@link #close()}; with {@code -i} what is typed goes to the container; a SIGWINCH (the window
 * was resized) is passed on as the container terminal's new size (TIOCSWINSZ).
 */
final class TerminalSession implements AutoCloseable {

    private static final int STDIN = 0;
    private static final int STDOUT = 1;

    private final OwnedFd master;
    private final TerminalModes.Saved saved;

    private TerminalSession(OwnedFd master, TerminalModes.Saved saved) {
        this.master = master;
        this.saved = saved;
    }

    /** Joins {@code master}; with {@code input} canal's standard input is copied into it. */
    static TerminalSession attach(OwnedFd master, boolean input) {
        TerminalModes.Saved saved = input && TerminalModes.isTerminal(STDIN) ? TerminalModes.makeRaw(STDIN) : null;
        var session = new TerminalSession(master, saved);
        if (TerminalModes.isTerminal(STDOUT)) {
            Signal.handle(new Signal("WINCH"), signal -> session.resize());
        }
        if (input) {
            Thread.ofPlatform().daemon().name("canal-stdin").start(session::copyInput);
        }
        return session;
    }

    /** The caller's terminal size, if standard output is one. */
    static TerminalModes.Size callerSize() {
        return TerminalModes.isTerminal(STDOUT) ? TerminalModes.size(STDOUT) : new TerminalModes.Size(0, 0);
    }

    private void resize() {
        TerminalModes.Size size = TerminalModes.size(STDOUT);
        Pseudoterminal.setWindowSize(master, size.rows(), size.columns());
    }

    /** What the container writes to its terminal, to canal's standard output, until no process has it open. */
    void copyOutput() {
        byte[] buffer = new byte[8192];
        // Not closed: closing the stream would close canal's own descriptor 1.
        var out = new FileOutputStream(FileDescriptor.out);
        try {
            while (true) {
                int count;
                try {
                    count = master.read(buffer, 0, buffer.length);
                } catch (SyscallException e) {
                    // The master reads EIO once the last descriptor of the peer is closed (pty(7)).
                    if (e.errno() == linux_h.EIO()) {
                        return;
                    }
                    throw e;
                }
                if (count == 0) {
                    return;
                }
                out.write(buffer, 0, count);
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the container's output: " + e.getMessage(), e);
        }
    }

    private void copyInput() {
        byte[] buffer = new byte[8192];
        var in = new FileInputStream(FileDescriptor.in);
        try {
            int count;
            while ((count = in.read(buffer)) > 0) {
                master.writeFully(Arrays.copyOf(buffer, count));
            }
        } catch (IOException | RuntimeException e) {
            // The container's terminal went away, or our input did: nothing more to pass on.
        }
    }

    @Override
    public void close() {
        if (saved != null) {
            TerminalModes.restore(saved);
        }
    }
}
