package dev.canal.engine;

/**
 * Where a container's or an exec's output goes: an attached client, a log reader's caller, an
 * exec stream. The daemon frames each write for its connection (the 8-byte multiplexed header
 * without a terminal, raw bytes with one).
 */
public interface OutputSink {

    /** {@code length} bytes of {@code bytes} from {@code offset}, written on "stdout" or "stderr". */
    void write(String stream, byte[] bytes, int offset, int length);

    /** The stream has ended: the process exited and its output is drained. */
    void end();
}
