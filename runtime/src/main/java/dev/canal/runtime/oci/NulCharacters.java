package dev.canal.runtime.oci;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;

/**
 * No string of a config may hold a NUL character: paths, arguments, names and values all reach
 * the kernel as C strings, which end at the first NUL, so {@code "/tmp\0/etc"} would quietly be
 * {@code "/tmp"}. Go's syscall package refuses such strings (EINVAL), and so runc does. Only
 * the annotations and the properties the spec does not define are left alone: they are
 * free-form, and never reach the kernel.
 *
 * <p>The spec's records are walked by reflection, so a field added to them is checked too.
 */
final class NulCharacters {

    private NulCharacters() {}

    /** Adds a problem for each string in {@code value}, at {@code path}, that holds a NUL. */
    static void check(String path, Object value, Problems problems) {
        switch (value) {
            case String string
            when string.indexOf('\0') >= 0 ->
                problems.add(path, "holds a NUL character, which no system call can take");
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    check(path + "[" + i + "]", list.get(i), problems);
                }
            }
            case Map<?, ?> map ->
                map.forEach((key, entry) -> {
                    String at = JsonPath.member(path, (String) key);
                    check(at, key, problems);
                    check(at, entry, problems);
                });
            case Record record -> {
                for (RecordComponent component : record.getClass().getRecordComponents()) {
                    if (!component.isAnnotationPresent(KeepUnknown.class)
                            && !component.getName().equals("annotations")) {
                        check(JsonPath.member(path, jsonName(component)), read(component, record), problems);
                    }
                }
            }
            case null, default -> {
                // a number, a boolean, or absent
            }
        }
    }

    /** The component's name in JSON: its own, or what {@code @JsonProperty} says ({@code class}). */
    private static String jsonName(RecordComponent component) {
        var renamed = component.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
        return renamed == null ? component.getName() : renamed.value();
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("reading " + component, e);
        }
    }
}
