package dev.canal.engine;

import dev.canal.runtime.container.Container;
import dev.canal.runtime.sys.OwnedFd;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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

    void startPumps(final AttachHub hub) {
        OutputSink toClients = new OutputSink() {
            @Override
            public void write(String stream, byte[] bytes, int offset, int length) {
                hub.publish(stream, bytes, offset, length);
            }

            @Override
            public void end() {}
        };
        if (this.terminal != null) {
            this.pumps.add(this.pump(new OutputPump(this.terminal, "stdout", this.log, toClients), "tty"));
        } else {
            this.pumps.add(this.pump(new OutputPump(this.io.stdout, "stdout", this.log, toClients), "stdout"));
            this.pumps.add(this.pump(new OutputPump(this.io.stderr, "stderr", this.log, toClients), "stderr"));
        }
    }

    private Thread pump(OutputPump pump, String stream) {
        return Thread.ofPlatform()
                .daemon()
                .name("canal-" + this.id.substring(0, 12) + "-" + stream)
                .start(pump);
    }

    void awaitPumps(long millis) {
        long deadline = System.nanoTime() + millis * 1000000L;

        for (Thread thread : this.pumps) {
            try {
                thread.join(Math.max(1L, (deadline - System.nanoTime()) / 1000000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    OwnedFd input() {
        return this.terminal != null ? this.terminal : (this.io == null ? null : this.io.stdin);
    }

    void release() {
        this.log.close();
        if (this.terminal != null) {
            this.terminal.close();
        }

        if (this.io != null) {
            this.io.close();
        }

        this.runLock.close();
    }
}
