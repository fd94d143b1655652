package dev.canal.runtime.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A loop block device over a temp file (losetup(8)), for I/O throttle tests: never the
 * machine's own disk. Detached and its file deleted on close.
 */
public final class LoopDevice implements AutoCloseable {

    private final Path backing;
    private final String device;
    private final long major;
    private final long minor;

    public LoopDevice(long bytes) throws IOException, InterruptedException {
        backing = Files.createTempFile("canal-loop", ".img");
        try (var file = new RandomAccessFile(backing.toFile(), "rw")) {
            file.setLength(bytes);
        }
        Process losetup = new ProcessBuilder("losetup", "--find", "--show", backing.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(losetup.getInputStream().readAllBytes()).strip();
        if (losetup.waitFor() != 0) {
            Files.deleteIfExists(backing);
            throw new IOException("losetup: " + output);
        }
        device = output;
        String[] numbers = Files.readString(Path.of(
                        "/sys/class/block", Path.of(device).getFileName().toString(), "dev"))
                .strip()
                .split(":");
        major = Long.parseLong(numbers[0]);
        minor = Long.parseLong(numbers[1]);
    }

    public String device() {
        return device;
    }

    public long major() {
        return major;
    }

    public long minor() {
        return minor;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("losetup", "--detach", device).inheritIO().start().waitFor();
        Files.deleteIfExists(backing);
    }
}
