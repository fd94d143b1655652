package dev.canal.engine;

import dev.canal.runtime.sys.OwnedFd;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

final class AttachHub {
    private final List<OutputSink> sinks = new CopyOnWriteArrayList<>();
    private OwnedFd input;
    private AttachHub.Phase phase = AttachHub.Phase.WAITING;

    void subscribe(OutputSink sink) {
        this.sinks.add(sink);
        synchronized (this) {
            if (this.phase == AttachHub.Phase.ENDED) {
                this.phase = AttachHub.Phase.WAITING;
            }
        }
    }

    void unsubscribe(OutputSink sink) {
        this.sinks.remove(sink);
    }

    void publish(String stream, byte[] bytes, int offset, int length) {
        for (OutputSink sink : this.sinks) {
            try {
                sink.write(stream, bytes, offset, length);
            } catch (RuntimeException gone) {
                this.sinks.remove(sink);
            }
        }
    }

    void endRun() {
        for (OutputSink sink : this.sinks) {
            this.sinks.remove(sink);

            try {
                sink.end();
            } catch (RuntimeException var6) {
            }
        }

        synchronized (this) {
            this.phase = AttachHub.Phase.ENDED;
            this.input = null;
            this.notifyAll();
        }
    }

    synchronized void connectInput(OwnedFd stdin) {
        this.phase = AttachHub.Phase.RUNNING;
        this.input = stdin;
        this.notifyAll();
    }

    synchronized OwnedFd awaitInput() throws InterruptedException {
        while (this.phase == AttachHub.Phase.WAITING) {
            this.wait();
        }

        return this.input;
    }

    private enum Phase {
        WAITING,
        RUNNING,
        ENDED;
    }
}
