package dev.canal.cli.run;

import dev.canal.engine.OutputSink;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a container or an exec'd process writes, as the engine hands it on ({@link OutputSink}),
 * to canal's own descriptors 1 and 2: the docker CLI's side of an attach or a {@code logs}.
 * Written unbuffered, so that a prompt without a newline shows at once.
 */
final class StandardStreams implements OutputSink {

    // Not closed: closing them would close canal's own descriptors.
    private final FileOutputStream out = new FileOutputStream(FileDescriptor.out);
    private final FileOutputStream err = new FileOutputStream(FileDescriptor.err);

    @Override
    public synchronized void write(String stream, byte[] bytes, int offset, int length) {
        try {
            (stream.equals("stderr") ? err : out).write(bytes, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the container's output: " + e.getMessage(), e);
        }
    }

    @Override
    public void end() {
        // Nothing buffered: every write went straight to the descriptor.
    }
}
