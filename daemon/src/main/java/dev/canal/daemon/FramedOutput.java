package dev.canal.daemon;

import dev.canal.engine.OutputSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;

final class FramedOutput implements OutputSink {
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

    public synchronized void write(String stream, byte[] bytes, int offset, int length) {
        boolean isError = stream.equals("stderr");
        if (isError ? this.stderr : this.stdout) {
            try {
                if (this.multiplexed) {
                    byte[] frame = new byte[8 + length];
                    frame[0] = (byte) (isError ? 2 : 1);
                    frame[4] = (byte) (length >>> 24);
                    frame[5] = (byte) (length >>> 16);
                    frame[6] = (byte) (length >>> 8);
                    frame[7] = (byte) length;
                    System.arraycopy(bytes, offset, frame, 8, length);
                    this.target.write(frame, 0, frame.length);
                } else {
                    this.target.write(bytes, offset, length);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public void end() {
        this.ended.countDown();
    }

    void awaitEnd() throws InterruptedException {
        this.ended.await();
    }

    interface Target {
        void write(byte[] var1, int var2, int var3) throws IOException;
    }
}
