package dev.canal.engine;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.SyscallException;
import java.time.Instant;

/**
 * Copies one output stream of a container or exec (a fifo, a pipe or a terminal's master side)
 * to the attached clients as it arrives, and to the log line by line. A line longer than 16 KiB
 * is logged in 16 KiB pieces, as docker's log copier does, so one endless line cannot take all
 * memory. Runs on its own thread until end of file.
 */
final class OutputPump implements Runnable {

    /** Docker's largest log message: longer lines are split (daemon/logger/copier.go). */
    private static final int LINE_LIMIT = 16 * 1024;

    private static final int READ_SIZE = 32 * 1024;

    /** How long to wait before reading a non-blocking source again that had nothing. */
    private static final long EMPTY_PAUSE_MILLIS = 20;

    private final OwnedFd source;
    private final String stream;
    private final LogFile log;
    private final OutputSink sink;
    private final byte[] line = new byte[LINE_LIMIT];
    private int lineLength;

    /** {@code log} and {@code sink} may be null: an exec's output is not logged. */
    OutputPump(OwnedFd source, String stream, LogFile log, OutputSink sink) {
        this.source = source;
        this.stream = stream;
        this.log = log;
        this.sink = sink;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[READ_SIZE];
        while (true) {
            int count;
            try {
                count = source.read(buffer, 0, buffer.length);
            } catch (SyscallException e) {
                // A re-adopted container's fifos are opened O_NONBLOCK (ContainerIo.reopen): no
                // data yet is EAGAIN, not the end. Anything else (EIO from a terminal whose
                // last process left) ends the stream.
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
            if (sink != null) {
                sink.write(stream, buffer, 0, count);
            }
            logLines(buffer, count);
        }
        // A last line without its newline is still logged, as docker does.
        if (lineLength > 0) {
            flushLine();
        }
    }

    /** Logs every complete line in the buffer and keeps the rest for the next read. */
    private void logLines(byte[] buffer, int count) {
        int start = 0;
        for (int i = 0; i < count; i++) {
            if (buffer[i] == '\n') {
                append(buffer, start, i + 1 - start);
                flushLine();
                start = i + 1;
            }
        }
        append(buffer, start, count - start);
    }

    private void append(byte[] buffer, int from, int length) {
        while (length > 0) {
            int room = Math.min(length, LINE_LIMIT - lineLength);
            System.arraycopy(buffer, from, line, lineLength, room);
            lineLength += room;
            from += room;
            length -= room;
            if (lineLength == LINE_LIMIT) {
                flushLine();
            }
        }
    }

    private void flushLine() {
        if (log != null) {
            // LogFile.write decodes the bytes at once, so the buffer can be reused after it.
            log.write(stream, line, lineLength, Instant.now());
        }
        lineLength = 0;
    }

    private static void pause() {
        try {
            Thread.sleep(EMPTY_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
