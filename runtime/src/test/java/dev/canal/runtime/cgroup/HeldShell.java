package dev.canal.runtime.cgroup;

import dev.canal.runtime.testing.BusyboxRootfs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A busybox shell that waits on stdin before running its script, so a test can move it into a
 * cgroup first and everything the script does is accounted there. Output goes to a temp file.
 */
final class HeldShell implements AutoCloseable {

    private final Process process;
    private final Path output;

    HeldShell(String script) throws IOException {
        output = Files.createTempFile("canal-cgroup-test", ".out");
        process = new ProcessBuilder(BusyboxRootfs.BUSYBOX.toString(), "sh", "-c", "read go; " + script)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
    }

    int pid() {
        return (int) process.pid();
    }

    /** Lets the script run. */
    void release() throws IOException {
        OutputStream stdin = process.getOutputStream();
        stdin.write('\n');
        stdin.flush();
    }

    /** Waits for the script to end; its exit status, or -1 if it did not end in time. */
    int waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        Files.deleteIfExists(output);
    }
}
