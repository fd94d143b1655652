package dev.canal.runtime.seccomp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The text files scripts/generate-syscall-tables writes next to this package's classes. */
final class SeccompResources {

    private SeccompResources() {}

    /** The lines of {@code resource}, which must exist: it is part of Canal's jar. */
    static List<String> lines(String resource) {
        try (InputStream in = SeccompResources.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing seccomp resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .lines()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
