package dev.canal.runtime.testing;

import dev.canal.runtime.net.NetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs a host tool (nft) inside a test's own network namespace, to read back what Canal made
 * there with a second, independent implementation. A child process starts in the namespaces
 * of the thread that spawns it, here a thread that has entered {@code namespace}.
 */
public final class NamespaceCommands {

    private NamespaceCommands() {}

    /** Runs {@code command} in {@code namespace}; returns its output, or throws if it fails. */
    public static String run(NetworkNamespace namespace, String... command) {
        return namespace.call(() -> {
            try {
                Process process = new ProcessBuilder(List.of(command))
                        .redirectErrorStream(true)
                        .start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (process.waitFor() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
                }
                return output;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }
}
