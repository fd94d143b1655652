package dev.canal.runtime.oci;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * No string of a config may hold a NUL character: paths, arguments, names and values all reach
 * the kernel as C strings, which end at the first NUL, so {@code "/tmp\0/etc"} would quietly be
 * {@code "/tmp"}. Go's syscall package refuses such strings (EINVAL), and so runc does. Only
 * the annotations and the properties the spec does not define are left alone: they are
 * free-form, and never reach the kernel.
 *
 * <p>The spec's records are walked by reflection, so a field added to them is checked too. A
 * config holds a few thousand strings (the seccomp profile's syscall names most of them) and
 * canald checks one per container: so each record class's components are looked up once
 * ({@link ClassValue}), and a string's path is written out only for a problem.
 */
final class NulCharacters {

    /** The components of each record class that are checked, with their names in JSON. */
    private static final ClassValue<List<Component>> CHECKED = new ClassValue<>() {
        @Override
        protected List<Component> computeValue(Class<?> type) {
            return Arrays.stream(type.getRecordComponents())
                    .filter(component -> !component.isAnnotationPresent(KeepUnknown.class)
                            && !component.getName().equals("annotations"))
                    .map(component -> new Component(jsonName(component), component.getAccessor()))
                    .toList();
        }
    };

    private NulCharacters() {}

    /** Adds a problem for each string in {@code value}, at {@code path}, that holds a NUL. */
    static void check(String path, Object value, Problems problems) {
        check(new Location(null, path, -1), value, problems);
    }

    private static void check(Location location, Object value, Problems problems) {
        switch (value) {
            case String string
            when string.indexOf('\0') >= 0 ->
                problems.add(location.path(), "holds a NUL character, which no system call can take");
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    check(new Location(location, null, i), list.get(i), problems);
                }
            }
            case Map<?, ?> map ->
                map.forEach((key, entry) -> {
                    Location at = new Location(location, (String) key, -1);
                    check(at, key, problems);
                    check(at, entry, problems);
                });
            case Record record -> {
                for (Component component : CHECKED.get(record.getClass())) {
                    check(new Location(location, component.jsonName(), -1), component.read(record), problems);
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

    private record Component(String jsonName, Method accessor) {
        Object read(Record record) {
            try {
                return accessor.invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("reading " + accessor, e);
            }
        }
    }

    /**
     * Where a value sits: the top ({@code parent} null, {@code member} its path), a member of
     * its parent, or the {@code index}th element of a list (member null).
     */
    private record Location(Location parent, String member, int index) {
        String path() {
            if (parent == null) {
                return member;
            }
            return member == null ? parent.path() + "[" + index + "]" : JsonPath.member(parent.path(), member);
        }
    }
}
