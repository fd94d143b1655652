package dev.canal.runtime.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The config.json files under src/test/resources/oci, and a shorthand for JSON in Java strings. */
final class Fixtures {

    private Fixtures() {}

    static Path path(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/oci/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    static String text(String name) {
        try {
            return Files.readString(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON written with single quotes, easier to read inside a Java string: {@code {'a': 1}}. */
    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }
}
