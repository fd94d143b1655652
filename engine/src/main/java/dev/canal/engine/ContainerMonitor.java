package dev.canal.engine;

import dev.canal.runtime.container.Container;
import dev.canal.runtime.sys.OwnedFd;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the engine holds for a container it runs: the runtime's handle, its terminal or fifos,
 * its log, its run lock and the threads that pump its output; {@link #exit} completes with its
 * exit status. There is one per running container in {@link Engine}; it goes when the end is
 * recorded.
 *
 * @param adopted  re-adopted after a daemon restart: not this process's child, so its exit
 *                 status cannot be reaped ({@link Engine})
 * @param terminal the pseudoterminal's master side with {@code -t}, else null
 * @param io       the fifos without {@code -t}, else null
 */
record ContainerMonitor(
        String id,
        Container runtime,
        boolean adopted,
        OwnedFd terminal,
        ContainerIo io,
        LogFile log,
        RunLock runLock,
        List<Thread> pumps,
        CompletableFuture<Integer> exit) {

    static ContainerMonitor of(
            String id,
            Container runtime,
            boolean adopted,
            OwnedFd terminal,
            ContainerIo io,
            LogFile log,
            RunLock lock) {
        return new ContainerMonitor(
                id, runtime, adopted, terminal, io, log, lock, new ArrayList<>(), new CompletableFuture<>());
    }

    /**
     * Starts copying the output to the log and to {@code hub}'s attached clients: one pump for
     * a terminal, which carries both streams as one (as in docker, a -t container's log is all
     * stdout), else one per fifo.
     */
    void startPumps(AttachHub hub) {
        OutputSink toClients = new OutputSink() {
            @Override
            public void write(String stream, byte[] bytes, int offset, int length) {
                hub.publish(stream, bytes, offset, length);
            }

            @Override
            public void end() {
                // The hub ends its clients' streams when the run ends (AttachHub.endRun).
            }
        };
        if (terminal != null) {
            pumps.add(pump(new OutputPump(terminal, "stdout", log, toClients), "tty"));
        } else {
            pumps.add(pump(new OutputPump(io.stdout, "stdout", log, toClients), "stdout"));
            pumps.add(pump(new OutputPump(io.stderr, "stderr", log, toClients), "stderr"));
        }
    }

    private Thread pump(OutputPump pump, String stream) {
        return Thread.ofPlatform()
                .daemon()
                .name("canal-" + id.substring(0, 12) + "-" + stream)
                .start(pump);
    }

    /**
     * Waits, at most {@code millis} in all, for the pumps to reach end of file. A process the
     * container left behind (a daemon of its own in its process group) could hold the output
     * open forever; the exit is recorded after the wait regardless.
     */
    void awaitPumps(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Thread thread : pumps) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Where attached clients' input goes: the terminal, or the stdin pipe with {@code -i}. */
    OwnedFd input() {
        if (terminal != null) {
            return terminal;
        }
        return io == null ? null : io.stdin;
    }

    /** Closes the log, terminal and fifos and releases the run lock: the end is recorded. */
    void release() {
        log.close();
        if (terminal != null) {
            terminal.close();
        }
        if (io != null) {
            io.close();
        }
        runLock.close();
    }
}
