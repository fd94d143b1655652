package dev.canal.engine;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.SyscallException;
import java.time.Instant;
import java.util.Arrays;

final class OutputPump implements Runnable {
    private static final int LINE_LIMIT = 16384;
    private final OwnedFd source;
    private final String stream;
    private final LogFile log;
    private final OutputSink sink;
    private final byte[] line = new byte[16384];
    private int lineLength;

    OutputPump(OwnedFd source, String stream, LogFile log, OutputSink sink) {
        this.source = source;
        this.stream = stream;
        this.log = log;
        this.sink = sink;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[32768];

        while (true) {
            int count;
            try {
                count = this.source.read(buffer, 0, buffer.length);
            } catch (SyscallException e) {
                if (e.errno() != linux_h.EAGAIN()) {
                    break;
                }

                pause();
                continue;
            } catch (IllegalStateException closed) {
                break;
            }

            if (count == 0) {
                break;
            }

            if (this.sink != null) {
                this.sink.write(this.stream, buffer, 0, count);
            }

            this.logLines(buffer, count);
        }

        if (this.lineLength > 0) {
            this.flushLine();
        }
    }

    private void logLines(byte[] buffer, int count) {
        int start = 0;

        for (int i = 0; i < count; i++) {
            if (buffer[i] == 10) {
                this.append(buffer, start, i + 1 - start);
                this.flushLine();
                start = i + 1;
            }
        }

        this.append(buffer, start, count - start);
    }

    private void append(byte[] buffer, int from, int length) {
        while (length > 0) {
            int room = Math.min(length, 16384 - this.lineLength);
            System.arraycopy(buffer, from, this.line, this.lineLength, room);
            this.lineLength += room;
            from += room;
            length -= room;
            if (this.lineLength == 16384) {
                this.flushLine();
            }
        }
    }

    private void flushLine() {
        if (this.log != null) {
            this.log.write(this.stream, Arrays.copyOf(this.line, this.lineLength), this.lineLength, Instant.now());
        }

        this.lineLength = 0;
    }

    private static void pause() {
        try {
            Thread.sleep(20L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
