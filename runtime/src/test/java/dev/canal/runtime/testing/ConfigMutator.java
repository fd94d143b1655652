package dev.canal.runtime.testing;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Mutated variants of real config.json files, the same sequence for the same seed: each variant
 * is one of the seed configs with one to three changes at random places of its tree. A change
 * drops a field or element, gives a value another JSON type (string, number, boolean, array,
 * object, null), empties it, puts a number at or beyond the int, long and uint64 bounds or a
 * string from a list of awkward ones (a NUL, very long, {@code ..}, absolute and relative paths,
 * paths through symlinks that lead out of the rootfs), duplicates an element or a key, repeats an
 * element many times, or adds a field the spec does not know.
 *
 * <p>Places are picked by walking down from the top, stopping at each level with some
 * probability, so a short section ({@code root}) is hit about as often as a long one (the seccomp
 * profile's syscall names).
 */
public final class ConfigMutator {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** What the names of the properties it adds, which the spec does not define, start with. */
    public static final String UNKNOWN_PREFIX = "canalUnknown";

    /** Numbers at and beyond the bounds the spec's int32, uint32, int64 and uint64 fields have. */
    private static final List<JsonNode> NUMBERS = List.of(
            NODES.numberNode(0),
            NODES.numberNode(-1),
            NODES.numberNode(1),
            NODES.numberNode(7),
            NODES.numberNode(65536),
            NODES.numberNode(Integer.MAX_VALUE),
            NODES.numberNode(Integer.MAX_VALUE + 1L),
            NODES.numberNode(Integer.MIN_VALUE),
            NODES.numberNode(Integer.MIN_VALUE - 1L),
            NODES.numberNode(4294967295L),
            NODES.numberNode(4294967296L),
            NODES.numberNode(Long.MAX_VALUE),
            NODES.numberNode(Long.MIN_VALUE),
            NODES.numberNode(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE)),
            NODES.numberNode(BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE)),
            NODES.numberNode(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)),
            NODES.numberNode(BigInteger.ONE.shiftLeft(64)),
            NODES.numberNode(new BigInteger("1" + "0".repeat(40))),
            NODES.numberNode(1.5),
            NODES.numberNode(-0.25),
            NODES.numberNode(new BigDecimal("1e400")));

    /** Strings that are awkward anywhere; the caller adds paths of its own bundle. */
    private static final List<String> AWKWARD_STRINGS = List.of(
            "",
            " ",
            "x",
            "a\u0000b",
            "\u0000",
            "line\nbreak",
            "tab\there",
            "x".repeat(4097),
            "y".repeat(140_000),
            "/" + "n".repeat(300),
            "/a" + "/b".repeat(2100),
            "\u00e9t\u00e9 \ud83d\ude00",
            "/",
            ".",
            "..",
            "../..",
            "/..",
            "/../../../..",
            "a/../../b",
            "relative",
            "relative/path",
            "./relative",
            "/nonexistent/path",
            "/dev/null",
            "/proc",
            "-1",
            "0",
            "true",
            "null",
            "1e3",
            "%s%n%x",
            "${PATH}",
            "CAP_FLY",
            "RLIMIT_FLY",
            "SCMP_ACT_FLY",
            "SCMP_ARCH_FLY",
            "user",
            "cgroup",
            "time",
            "bind",
            "rbind",
            "ro",
            "rw",
            "private",
            "rshared",
            "tmpfs",
            "proc",
            "mode=7777",
            "size=-1",
            "uid=4294967296");

    private final Random random;
    private final List<Map.Entry<String, ObjectNode>> seeds;
    private final List<String> strings;
    private int made;

    /**
     * @param seed         the random seed: the same seed gives the same variants
     * @param seedConfigs  the configs to mutate, by name
     * @param extraStrings more strings to put in place of values, such as paths in the test's bundle
     */
    public ConfigMutator(long seed, Map<String, ObjectNode> seedConfigs, List<String> extraStrings) {
        this.random = new Random(seed);
        this.seeds = List.copyOf(seedConfigs.entrySet());
        var pool = new LinkedHashSet<>(AWKWARD_STRINGS);
        pool.addAll(extraStrings);
        // The seeds' own values, so a value can move to a place where it means something else.
        seeds.forEach(entry -> collectStrings(entry.getValue(), pool));
        this.strings = List.copyOf(pool);
    }

    /** One mutated config. */
    public record Variant(int number, String seed, List<String> changes, String json) {

        /** How to find it again: its number, seed and changes. */
        public String describe() {
            return "variant " + number + " (" + seed + "): " + String.join("; ", changes);
        }
    }

    /** The next variant. */
    public Variant next() {
        var seed = seeds.get(random.nextInt(seeds.size()));
        ObjectNode config = seed.getValue().deepCopy();
        int count = 1 + (random.nextInt(100) < 60 ? 0 : random.nextInt(100) < 60 ? 1 : 2);
        var changes = new ArrayList<String>();
        Set<String> duplicateKeys = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            changes.add(mutate(config, duplicateKeys));
        }
        return new Variant(made++, seed.getKey(), List.copyOf(changes), write(config, duplicateKeys));
    }

    /** A place in the tree: the value at {@code path}, and how to reach it from its parent at {@code parentPath}. */
    private record Place(JsonNode parent, String parentPath, String name, int index, String path, JsonNode value) {}

    private Place pick(ObjectNode config) {
        JsonNode parent = null;
        String name = null;
        int index = -1;
        String parentPath = "";
        String path = "";
        JsonNode value = config;
        while (value.isContainer() && !value.isEmpty() && (parent == null || random.nextInt(100) < 70)) {
            parent = value;
            parentPath = path;
            if (value.isObject()) {
                List<String> names = new ArrayList<>(value.propertyNames());
                name = names.get(random.nextInt(names.size()));
                index = -1;
                path = member(path, name);
                value = value.get(name);
            } else {
                name = null;
                index = random.nextInt(value.size());
                path = path + "[" + index + "]";
                value = value.get(index);
            }
        }
        return new Place(parent, parentPath, name, index, path, value);
    }

    /** Changes one place of {@code config} and says what it did. */
    private String mutate(ObjectNode config, Set<String> duplicateKeys) {
        Place place = pick(config);
        if (place.parent() == null) {
            return addUnknown(config, "");
        }
        String at = place.path();
        switch (random.nextInt(10)) {
            case 0 -> {
                remove(place);
                return "drop " + at;
            }
            case 1, 2 -> {
                JsonNode other = otherType(place.value());
                replace(place, other);
                return "retype " + at + " to " + shortly(other);
            }
            case 3 -> {
                JsonNode empty = emptyLike(place.value());
                replace(place, empty);
                return "empty " + at + " to " + shortly(empty);
            }
            case 4 -> {
                JsonNode number = NUMBERS.get(random.nextInt(NUMBERS.size()));
                replace(place, number);
                return "number " + at + " = " + shortly(number);
            }
            case 5, 6 -> {
                JsonNode string = NODES.stringNode(strings.get(random.nextInt(strings.size())));
                replace(place, string);
                return "string " + at + " = " + shortly(string);
            }
            case 7 -> {
                return duplicate(place, duplicateKeys);
            }
            case 8 -> {
                if (place.parent() instanceof ArrayNode array) {
                    int copies = 2 + random.nextInt(200);
                    for (int i = 0; i < copies; i++) {
                        array.insert(place.index(), place.value().deepCopy());
                    }
                    return "repeat " + at + " " + copies + " more times";
                }
                return duplicate(place, duplicateKeys);
            }
            default -> {
                return addUnknownAt(config, place);
            }
        }
    }

    private String duplicate(Place place, Set<String> duplicateKeys) {
        if (place.parent() instanceof ArrayNode array) {
            array.insert(place.index() + 1, place.value().deepCopy());
            return "duplicate " + place.path();
        }
        duplicateKeys.add(place.path());
        return "duplicate key " + place.path();
    }

    /** Adds a property the spec does not define to {@code object}, which is at {@code path}. */
    private String addUnknown(ObjectNode object, String path) {
        String name = UNKNOWN_PREFIX + random.nextInt(1000);
        JsonNode value = anyValue();
        object.set(name, value);
        return "unknown " + member(path, name) + " = " + shortly(value);
    }

    /** Where an unknown property goes for a change at {@code place}: the object there, or around it. */
    private String addUnknownAt(ObjectNode config, Place place) {
        if (place.value() instanceof ObjectNode object) {
            return addUnknown(object, place.path());
        }
        if (place.parent() instanceof ObjectNode object) {
            return addUnknown(object, place.parentPath());
        }
        return addUnknown(config, "");
    }

    private static void remove(Place place) {
        if (place.parent() instanceof ArrayNode array) {
            array.remove(place.index());
        } else {
            ((ObjectNode) place.parent()).remove(place.name());
        }
    }

    private static void replace(Place place, JsonNode value) {
        if (place.parent() instanceof ArrayNode array) {
            array.set(place.index(), value);
        } else {
            ((ObjectNode) place.parent()).set(place.name(), value);
        }
    }

    /** A value of a JSON type other than {@code value}'s. */
    private JsonNode otherType(JsonNode value) {
        while (true) {
            JsonNode other = anyValue();
            if (other.getNodeType() != value.getNodeType()) {
                return other;
            }
        }
    }

    private JsonNode anyValue() {
        return switch (random.nextInt(7)) {
            case 0 -> NODES.stringNode(strings.get(random.nextInt(strings.size())));
            case 1 -> NUMBERS.get(random.nextInt(NUMBERS.size()));
            case 2 -> NODES.booleanNode(random.nextBoolean());
            case 3 -> NODES.arrayNode();
            case 4 -> NODES.arrayNode().add(strings.get(random.nextInt(strings.size())));
            case 5 ->
                random.nextBoolean() ? NODES.objectNode() : NODES.objectNode().put("x", 1);
            default -> NODES.nullNode();
        };
    }

    private static JsonNode emptyLike(JsonNode value) {
        if (value.isArray()) {
            return NODES.arrayNode();
        }
        if (value.isObject()) {
            return NODES.objectNode();
        }
        if (value.isNumber()) {
            return NODES.numberNode(0);
        }
        return NODES.stringNode("");
    }

    /** The config's text; at each path in {@code duplicateKeys} the key is written twice, once with another value. */
    private String write(ObjectNode config, Set<String> duplicateKeys) {
        var text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            write(json, config, "", duplicateKeys);
        }
        return text.toString();
    }

    private void write(JsonGenerator json, JsonNode node, String path, Set<String> duplicateKeys) {
        if (node.isObject()) {
            json.writeStartObject();
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                String at = member(path, property.getKey());
                if (duplicateKeys.contains(at)) {
                    // Go's encoding/json and Jackson both keep the last; either may be the original.
                    boolean originalLast = random.nextBoolean();
                    json.writeName(property.getKey());
                    write(json, originalLast ? anyValue() : property.getValue(), at, duplicateKeys);
                    json.writeName(property.getKey());
                    write(json, originalLast ? property.getValue() : anyValue(), at, duplicateKeys);
                } else {
                    json.writeName(property.getKey());
                    write(json, property.getValue(), at, duplicateKeys);
                }
            }
            json.writeEndObject();
        } else if (node.isArray()) {
            json.writeStartArray();
            for (int i = 0; i < node.size(); i++) {
                write(json, node.get(i), path + "[" + i + "]", duplicateKeys);
            }
            json.writeEndArray();
        } else {
            json.writeTree(node);
        }
    }

    private static void collectStrings(JsonNode node, Set<String> into) {
        if (node.isString()) {
            into.add(node.asString());
        }
        for (JsonNode child : node) {
            collectStrings(child, into);
        }
        if (node.isObject()) {
            node.propertyNames().forEach(into::add);
        }
    }

    /** A path as Canal's messages write it: {@code process.user.uid}, {@code linux.sysctl["net.ipv4.ip_forward"]}. */
    static String member(String parent, String name) {
        if (PLAIN_NAME.matcher(name).matches()) {
            return parent.isEmpty() ? name : parent + "." + name;
        }
        return parent + "[\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    /** A value for a change's description: long strings cut, control characters escaped. */
    private static String shortly(JsonNode value) {
        String text = value.toString();
        return text.length() > 40 ? text.substring(0, 30) + "...(" + text.length() + " characters)" : text;
    }
}
