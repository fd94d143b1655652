package dev.canal.engine;

import dev.canal.runtime.sys.OwnedFd;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The clients attached to one container ({@code docker attach}, {@code docker run} without
 * {@code -d}, {@code docker start -a}): its output is copied to each, and its stdin is handed to
 * whoever writes input. A client may attach before the container starts, as {@code docker run}
 * does (attach, then start): it then waits in {@link #awaitInput} until the run connects the
 * input, so nothing it types is lost.
 */
final class AttachHub {

    /** Where a run is: not started yet, running with its input connected, or ended. */
    private enum Phase {
        WAITING,
        RUNNING,
        ENDED
    }

    private final List<OutputSink> sinks = new CopyOnWriteArrayList<>();
    private OwnedFd input;
    private Phase phase = Phase.WAITING;

    void subscribe(OutputSink sink) {
        sinks.add(sink);
        synchronized (this) {
            // Attaching to an ended container waits for its next start (docker start -a).
            if (phase == Phase.ENDED) {
                phase = Phase.WAITING;
            }
        }
    }

    void unsubscribe(OutputSink sink) {
        sinks.remove(sink);
    }

    /** Copies output to every client; a client whose connection broke is dropped. */
    void publish(String stream, byte[] bytes, int offset, int length) {
        for (OutputSink sink : sinks) {
            try {
                sink.write(stream, bytes, offset, length);
            } catch (RuntimeException gone) {
                sinks.remove(sink);
            }
        }
    }

    /** The container has ended: every client's stream ends, and input waiters get null. */
    void endRun() {
        for (OutputSink sink : sinks) {
            sinks.remove(sink);
            try {
                sink.end();
            } catch (RuntimeException gone) {
                // Its connection is already closed: nothing more to tell it.
            }
        }
        synchronized (this) {
            phase = Phase.ENDED;
            input = null;
            notifyAll();
        }
    }

    /** The run has started; {@code stdin} is its input, null without {@code -i}. */
    synchronized void connectInput(OwnedFd stdin) {
        phase = Phase.RUNNING;
        input = stdin;
        notifyAll();
    }

    /** Waits for the run to start; its input, or null if it takes none or has ended. */
    synchronized OwnedFd awaitInput() throws InterruptedException {
        while (phase == Phase.WAITING) {
            wait();
        }
        return input;
    }
}
