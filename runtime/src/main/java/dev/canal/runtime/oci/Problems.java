package dev.canal.runtime.oci;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/** What a validation found wrong, in document order, each as "JSON path: what is wrong". */
final class Problems {

    private final List<String> found = new ArrayList<>();

    void add(String path, String problem) {
        found.add(path + ": " + problem);
    }

    List<String> list() {
        return List.copyOf(found);
    }

    /** Paths inside the container are resolved from its root, never from a working directory. */
    void requireAbsolute(String path, String value) {
        if (value == null) {
            add(path, "missing");
        } else if (!value.startsWith("/")) {
            add(path, "must be an absolute path, got " + Quoted.of(value));
        }
    }

    /** A name from a fixed list such as a device type; true when it is one. */
    boolean requireKnown(String path, String value, Set<String> known, String what) {
        if (value == null) {
            add(path, "missing");
            return false;
        }
        if (!known.contains(value)) {
            add(path, "unknown " + what + " " + Quoted.of(value));
            return false;
        }
        return true;
    }

    /** A name from a fixed list that may appear once, such as a namespace type; {@code seen} collects them. */
    void requireKnownOnce(String path, String value, Set<String> known, String what, Set<String> seen) {
        if (requireKnown(path, value, known, what) && !seen.add(value)) {
            add(path, "duplicate " + what + " " + Quoted.of(value));
        }
    }

    /** Runs {@code check} on each element with its path, {@code path[0]}, {@code path[1]}, ... */
    static <T> void forEach(String path, List<T> elements, BiConsumer<String, T> check) {
        for (int i = 0; i < elements.size(); i++) {
            check.accept(path + "[" + i + "]", elements.get(i));
        }
    }
}
