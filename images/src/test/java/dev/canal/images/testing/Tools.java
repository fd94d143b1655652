package dev.canal.images.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Runs the image tools tests build images with (umoci, skopeo, tar, zstd) and fails with their output. */
public final class Tools {

    private Tools() {}

    public static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
