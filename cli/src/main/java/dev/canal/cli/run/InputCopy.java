package dev.canal.cli.run;

import dev.canal.runtime.sys.OwnedFd;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * {@code -i}: canal's standard input copied into a container's (a pipe, or its terminal's
 * master) on a daemon thread, as the docker CLI streams it to an attach; {@code atEnd} runs when
 * the input ends, so that the container reads end-of-file too.
 */
final class InputCopy {

    private InputCopy() {}

    static void start(OwnedFd target, Runnable atEnd) {
        Thread.ofPlatform().daemon().name("canal-stdin").start(() -> {
            byte[] buffer = new byte[8192];
            // Not closed: closing the stream would close canal's own descriptor 0.
            var in = new FileInputStream(FileDescriptor.in);
            try {
                int count;
                while ((count = in.read(buffer)) > 0) {
                    target.writeFully(Arrays.copyOf(buffer, count));
                }
            } catch (IOException | RuntimeException e) {
                // The container's input went away, or ours did: nothing more to pass on.
            }
            atEnd.run();
        });
    }
}
