package dev.canal.daemon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Small helpers between Jackson trees and the shapes of the API: absent fields, string lists, maps. */
final class Json {
    private Json() {}

    static ObjectNode object() {
        return Exchange.JSON.createObjectNode();
    }

    static ArrayNode array(List<String> values) {
        ArrayNode array = Exchange.JSON.createArrayNode();
        if (values != null) {
            values.forEach(array::add);
        }

        return array;
    }

    static ObjectNode map(Map<String, String> values) {
        ObjectNode object = object();
        if (values != null) {
            values.forEach(object::put);
        }

        return object;
    }

    /** A list of strings, or null when absent; a lone string is a list of one, as docker accepts for Cmd and Entrypoint. */
    static List<String> strings(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }

        if (value.isString()) {
            return List.of(value.asString());
        }

        ArrayList<String> list = new ArrayList<>();
        value.forEach(item -> list.add(item.asString()));
        return list;
    }

    static String string(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull() ? value.asString() : null;
    }

    static Map<String, String> stringMap(JsonNode node, String field) {
        JsonNode value = node.get(field);
        Map<String, String> map = new LinkedHashMap<>();
        if (value != null && value.isObject()) {
            value.properties()
                    .forEach(entry -> map.put(entry.getKey(), entry.getValue().asString()));
        }

        return map;
    }

    /**
     * ConsoleSize, [rows, columns], of a create or an exec create (API 1.42 and later): the
     * terminal's size from its start, or null when absent or zero.
     */
    static List<Integer> consoleSize(JsonNode size) {
        if (!size.isArray() || size.size() != 2 || size.get(0).asInt() <= 0) {
            return null;
        }
        return List.of(size.get(0).asInt(), size.get(1).asInt());
    }

    static long epochSeconds(String time) {
        return time == null ? 0L : Instant.parse(time).getEpochSecond();
    }

    /** Go's zero time, which the API gives for a time that has not happened (a container never started). */
    static String timeOrZero(String time) {
        return time == null ? "0001-01-01T00:00:00Z" : time;
    }
}
