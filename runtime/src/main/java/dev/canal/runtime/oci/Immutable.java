package dev.canal.runtime.oci;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Unmodifiable copies for the records' compact constructors: absent (null) becomes empty. */
final class Immutable {

    private Immutable() {}

    static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : List.copyOf(values);
    }

    /** Keeps the JSON order of the keys, and null values (an unknown property may be null). */
    static <K, V> Map<K, V> map(Map<K, V> entries) {
        return entries == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }
}
