package dev.canal.daemon;

import dev.canal.engine.OutputSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;

/**
 * A container's or an exec's output as the API sends it on an attach, exec start or logs stream
 * (ContainerAttach, "Stream format", https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Container/operation/ContainerAttach).
 * Without a terminal stdout and stderr share one connection, so each write becomes a frame: an
 * 8-byte header, {@code [STREAM_TYPE, 0, 0, 0, SIZE1, SIZE2, SIZE3, SIZE4]}, with the stream
 * (1 stdout, 2 stderr) and the payload's size as a big-endian uint32, then the payload. With a
 * terminal there is only one stream, the terminal's, and it goes raw, header-less.
 */
final class FramedOutput implements OutputSink {
    private static final int HEADER_BYTES = 8;
    private static final byte STDOUT = 1;
    private static final byte STDERR = 2;

    private final FramedOutput.Target target;
    private final boolean multiplexed;
    private final boolean stdout;
    private final boolean stderr;
    private final CountDownLatch ended = new CountDownLatch(1);

    FramedOutput(FramedOutput.Target target, boolean multiplexed, boolean stdout, boolean stderr) {
        this.target = target;
        this.multiplexed = multiplexed;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static FramedOutput.Target to(OutputStream out) {
        return (bytes, offset, length) -> {
            out.write(bytes, offset, length);
            out.flush();
        };
    }

    @Override
    /** Synchronised: the stdout and stderr pumps write from two threads, and frames must not interleave. */
    public synchronized void write(String stream, byte[] bytes, int offset, int length) {
        boolean isError = stream.equals("stderr");
        if (isError ? stderr : stdout) {
            try {
                if (multiplexed) {
                    byte[] frame = new byte[HEADER_BYTES + length];
                    frame[0] = isError ? STDERR : STDOUT;
                    frame[4] = (byte) (length >>> 24);
                    frame[5] = (byte) (length >>> 16);
                    frame[6] = (byte) (length >>> 8);
                    frame[7] = (byte) length;
                    System.arraycopy(bytes, offset, frame, HEADER_BYTES, length);
                    target.write(frame, 0, frame.length);
                } else {
                    target.write(bytes, offset, length);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void end() {
        ended.countDown();
    }

    /** Until the container or exec has ended and its output is all written. */
    void awaitEnd() throws InterruptedException {
        ended.await();
    }

    /** Where frames go: a hijacked connection, or a streamed answer's body. */
    interface Target {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }
}
