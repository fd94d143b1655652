package dev.canal.cli.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The functions a {@link GoTemplate} can call: those the docker CLI adds to Go's templates
 * (docker/cli templates/templates.go: json, join, split, upper, lower, title) and Go's builtins
 * that format strings use (index, len, print, println, eq, ne, not, and, or).
 */
final class TemplateFunctions {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> NAMES = Set.of(
            "json", "join", "split", "upper", "lower", "title", "index", "len", "print", "println", "eq", "ne", "not",
            "and", "or");

    private TemplateFunctions() {}

    static boolean exists(String name) {
        return NAMES.contains(name);
    }

    static JsonNode call(String name, List<JsonNode> arguments) {
        return switch (name) {
            // docker's json: encoding/json without HTML escaping, the encoder's newline trimmed.
            case "json" -> text(JSON.writeValueAsString(one(name, arguments)));
            case "join" -> text(join(arguments));
            case "split" -> split(arguments);
            case "upper" -> text(string(name, one(name, arguments)).toUpperCase(Locale.ROOT));
            case "lower" -> text(string(name, one(name, arguments)).toLowerCase(Locale.ROOT));
            case "title" -> text(title(string(name, one(name, arguments))));
            case "index" -> index(arguments);
            case "len" -> NODES.numberNode(one(name, arguments).size());
            case "print" -> text(sprint(arguments));
            case "println" -> text(String.join(" ", printed(arguments)) + "\n");
            case "eq" -> NODES.booleanNode(equalsAny(arguments));
            case "ne" -> NODES.booleanNode(!equalsAny(arguments));
            case "not" -> NODES.booleanNode(!GoTemplate.truthy(one(name, arguments)));
            case "and" -> firstWhere(arguments, false);
            default -> firstWhere(arguments, true); // or
        };
    }

    private static JsonNode text(String value) {
        return NODES.stringNode(value);
    }

    private static JsonNode one(String name, List<JsonNode> arguments) {
        if (arguments.size() != 1) {
            throw new IllegalArgumentException(
                    "template: wrong number of args for " + name + ": want 1 got " + arguments.size());
        }
        return arguments.getFirst();
    }

    private static String string(String name, JsonNode value) {
        if (!value.isString()) {
            throw new IllegalArgumentException("template: " + name + " wants a string, got " + GoTemplate.print(value));
        }
        return value.stringValue();
    }

    /** {@code join LIST SEP}. */
    private static String join(List<JsonNode> arguments) {
        if (arguments.size() != 2 || !arguments.get(0).isArray()) {
            throw new IllegalArgumentException("template: join wants a list and a separator");
        }
        List<String> elements = new ArrayList<>();
        arguments.get(0).values().forEach(element -> elements.add(GoTemplate.print(element)));
        return String.join(string("join", arguments.get(1)), elements);
    }

    /** {@code split STRING SEP}. */
    private static JsonNode split(List<JsonNode> arguments) {
        if (arguments.size() != 2) {
            throw new IllegalArgumentException("template: split wants a string and a separator");
        }
        String value = string("split", arguments.get(0));
        String separator = string("split", arguments.get(1));
        ArrayNode parts = NODES.arrayNode();
        int from = 0;
        for (int at = value.indexOf(separator); at >= 0 && !separator.isEmpty(); at = value.indexOf(separator, from)) {
            parts.add(value.substring(from, at));
            from = at + separator.length();
        }
        parts.add(value.substring(from));
        return parts;
    }

    /** Go's strings.Title: each word's first letter upper case. */
    private static String title(String value) {
        var out = new StringBuilder(value.length());
        boolean wordStart = true;
        for (char c : value.toCharArray()) {
            out.append(wordStart ? Character.toUpperCase(c) : c);
            wordStart = !Character.isLetterOrDigit(c);
        }
        return out.toString();
    }

    /** {@code index X K1 K2...}: a map's value by key or a list's element by number. */
    private static JsonNode index(List<JsonNode> arguments) {
        if (arguments.isEmpty()) {
            throw new IllegalArgumentException("template: wrong number of args for index: want at least 1 got 0");
        }
        JsonNode value = arguments.getFirst();
        for (JsonNode key : arguments.subList(1, arguments.size())) {
            if (value.isObject() && key.isString()) {
                value = value.has(key.stringValue()) ? value.get(key.stringValue()) : NODES.missingNode();
            } else if (value.isArray() && key.isIntegralNumber()) {
                if (key.intValue() < 0 || key.intValue() >= value.size()) {
                    throw new IllegalArgumentException("template: index out of range: " + key.intValue());
                }
                value = value.get(key.intValue());
            } else {
                throw new IllegalArgumentException(
                        "template: can't index " + GoTemplate.print(value) + " with " + GoTemplate.print(key));
            }
        }
        return value;
    }

    /** fmt.Sprint: a space between two operands when neither is a string. */
    private static String sprint(List<JsonNode> arguments) {
        var out = new StringBuilder();
        for (int i = 0; i < arguments.size(); i++) {
            if (i > 0 && !arguments.get(i - 1).isString() && !arguments.get(i).isString()) {
                out.append(' ');
            }
            out.append(GoTemplate.print(arguments.get(i)));
        }
        return out.toString();
    }

    private static List<String> printed(List<JsonNode> arguments) {
        return arguments.stream().map(GoTemplate::print).toList();
    }

    /** eq: the first argument equals any of the others. */
    private static boolean equalsAny(List<JsonNode> arguments) {
        if (arguments.size() < 2) {
            throw new IllegalArgumentException("template: missing argument for comparison");
        }
        JsonNode first = arguments.getFirst();
        return arguments.subList(1, arguments.size()).stream()
                .anyMatch(other -> first.isNumber() && other.isNumber()
                        ? first.doubleValue() == other.doubleValue()
                        : first.equals(other));
    }

    /** and: the first false argument, or the last; or: the first true one, or the last. */
    private static JsonNode firstWhere(List<JsonNode> arguments, boolean truth) {
        if (arguments.isEmpty()) {
            throw new IllegalArgumentException("template: missing argument");
        }
        for (JsonNode argument : arguments) {
            if (GoTemplate.truthy(argument) == truth) {
                return argument;
            }
        }
        return arguments.getLast();
    }
}
