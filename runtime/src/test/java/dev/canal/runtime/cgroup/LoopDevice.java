package dev.canal.runtime.cgroup;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/** A loop block device over a temp file (losetup(8)), for I/O throttle tests; detached on close. */
final class LoopDevice implements AutoCloseable {

    private final Path backing;
    private final String device;
    private final long major;
    private final long minor;

    LoopDevice(long bytes) throws IOException, InterruptedException {
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

    String device() {
        return device;
    }

    long major() {
        return major;
    }

    long minor() {
        return minor;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("losetup", "--detach", device).inheritIO().start().waitFor();
        Files.deleteIfExists(backing);
    }
}
