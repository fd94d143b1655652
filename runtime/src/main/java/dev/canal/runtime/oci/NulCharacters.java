package dev.canal.runtime.oci;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
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

    /**
     * The components of each record class that are checked: all but {@code annotations} and the
     * {@code unknownFields} that every record has ({@link KeepUnknown}). Told apart by name, not by
     * annotation: reading a component's annotations makes a proxy class per annotation type at
     * run time, which no AOT cache holds (docs/start-time.md, step 12).
     */
    private static final ClassValue<List<RecordComponent>> CHECKED = new ClassValue<>() {
        @Override
        protected List<RecordComponent> computeValue(Class<?> type) {
            var checked = new ArrayList<RecordComponent>();
            for (RecordComponent component : type.getRecordComponents()) {
                String name = component.getName();
                if (!name.equals("unknownFields") && !name.equals("annotations")) {
                    checked.add(component);
                }
            }
            return checked;
        }
    };

    private NulCharacters() {}

    /** Adds a problem for each string in {@code value}, at {@code path}, that holds a NUL. */
    static void check(String path, Object value, Problems problems) {
        check(new Location(null, path, -1), value, problems);
    }

    /** An if chain rather than a pattern switch, whose type switch is a class made at run time. */
    private static void check(Location location, Object value, Problems problems) {
        if (value instanceof String string) {
            if (string.indexOf('\0') >= 0) {
                problems.add(location.path(), "holds a NUL character, which no system call can take");
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                check(new Location(location, null, i), list.get(i), problems);
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Location at = new Location(location, (String) entry.getKey(), -1);
                check(at, entry.getKey(), problems);
                check(at, entry.getValue(), problems);
            }
        } else if (value instanceof Record record) {
            for (RecordComponent component : CHECKED.get(record.getClass())) {
                check(new Location(location, component, -1), read(component, record), problems);
            }
        }
        // else a number, a boolean, or absent
    }

    /**
     * The component's name in JSON: its own, or what {@code @JsonProperty} says ({@code class}).
     * The annotation is on the accessor: its targets do not include record components, so javac
     * propagates it to the field, the accessor and the constructor's parameter only (JLS 8.10.3).
     */
    private static String jsonName(RecordComponent component) {
        var renamed = component.getAccessor().getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
        return renamed == null ? component.getName() : renamed.value();
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("reading " + component, e);
        }
    }

    /**
     * Where a value sits: the top ({@code parent} null, {@code member} its path), a member of
     * its parent (a map's key, or a record's component, named in JSON only for a problem), or the
     * {@code index}th element of a list (member null).
     */
    private record Location(Location parent, Object member, int index) {
        String path() {
            if (parent == null) {
                return (String) member;
            }
            if (member == null) {
                return parent.path() + "[" + index + "]";
            }
            String name = member instanceof RecordComponent component ? jsonName(component) : (String) member;
            return JsonPath.member(parent.path(), name);
        }
    }
}
