package dev.canal.cli.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The part of Go's text/template that {@code docker inspect --format} is used with, over the
 * JSON document inspect prints: text and actions {@code {{...}}}; fields {@code .State.Pid} (a
 * missing one is {@code <no value>}, as for a Go map); string and number literals; pipes
 * {@code {{.Name | upper}}}; {@code {{range PIPELINE}}...{{else}}...{{end}}} over an array or an
 * object's values (in key order, as Go ranges over a map); {@code {{if PIPELINE}}...{{else}}
 * ...{{end}}}; and the functions docker adds (json, join, split, upper, lower, title) and Go's
 * own (index, len, print, println, eq, ne, not, and, or). Values print as Go's %v prints them:
 * {@code map[k:v]}, {@code [a b]}, {@code <nil>}.
 */
final class GoTemplate {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private sealed interface Node permits Text, Action, Block {}

    private record Text(String text) implements Node {}

    private record Action(List<List<String>> pipeline) implements Node {}

    /** {@code range} or {@code if}: a body, and the one after {@code else}. */
    private record Block(String keyword, List<List<String>> pipeline, List<Node> body, List<Node> otherwise)
            implements Node {}

    private final List<Node> nodes;

    private GoTemplate(List<Node> nodes) {
        this.nodes = nodes;
    }

    /** @throws IllegalArgumentException {@code template parsing error: ...}, as docker says it */
    static GoTemplate parse(String text) {
        var parser = new Parser(text);
        List<Node> nodes = parser.nodes(false);
        return new GoTemplate(nodes);
    }

    /** The template applied to {@code data}. */
    String execute(JsonNode data) {
        var out = new StringBuilder();
        run(nodes, data, out);
        return out.toString();
    }

    private static void run(List<Node> nodes, JsonNode dot, StringBuilder out) {
        for (Node node : nodes) {
            switch (node) {
                case Text text -> out.append(text.text());
                case Action action -> out.append(print(evaluate(action.pipeline(), dot)));
                case Block block -> runBlock(block, dot, out);
            }
        }
    }

    private static void runBlock(Block block, JsonNode dot, StringBuilder out) {
        JsonNode value = evaluate(block.pipeline(), dot);
        if (block.keyword().equals("if")) {
            run(truthy(value) ? block.body() : block.otherwise(), dot, out);
            return;
        }
        List<JsonNode> elements = elements(value);
        if (elements.isEmpty()) {
            run(block.otherwise(), dot, out);
        }
        for (JsonNode element : elements) {
            run(block.body(), element, out);
        }
    }

    /** An array's elements, or an object's values in key order. */
    private static List<JsonNode> elements(JsonNode value) {
        if (value.isArray()) {
            return new ArrayList<>(value.values());
        }
        if (value.isObject()) {
            return List.copyOf(sorted(value).values());
        }
        if (value.isNull() || value.isMissingNode()) {
            return List.of();
        }
        throw new IllegalArgumentException("template: range can't iterate over " + print(value));
    }

    /** Each command of the pipeline, the previous one's value as its last argument. */
    private static JsonNode evaluate(List<List<String>> pipeline, JsonNode dot) {
        JsonNode value = null;
        for (List<String> command : pipeline) {
            List<JsonNode> arguments = new ArrayList<>();
            for (String word : command.subList(isFunction(command.getFirst()) ? 1 : 0, command.size())) {
                arguments.add(operand(word, dot));
            }
            if (value != null) {
                arguments.add(value);
            }
            value = isFunction(command.getFirst())
                    ? TemplateFunctions.call(command.getFirst(), arguments)
                    : single(command, arguments);
        }
        return value;
    }

    private static JsonNode single(List<String> command, List<JsonNode> arguments) {
        if (arguments.size() != 1) {
            throw new IllegalArgumentException("template: can't give argument to non-function " + command.getFirst());
        }
        return arguments.getFirst();
    }

    private static boolean isFunction(String word) {
        return Character.isLetter(word.charAt(0)) && !word.equals("true") && !word.equals("false");
    }

    /** A field path from dot, a quoted string, a number or a boolean. */
    private static JsonNode operand(String word, JsonNode dot) {
        if (word.startsWith(".")) {
            JsonNode value = dot;
            for (String field : word.substring(1).split("\\.")) {
                if (!field.isEmpty()) {
                    value = value.isObject() && value.has(field) ? value.get(field) : NODES.missingNode();
                }
            }
            return value;
        }
        if (word.startsWith("\"")) {
            return NODES.stringNode(JSON.readValue(word, String.class));
        }
        if (word.equals("true") || word.equals("false")) {
            return NODES.booleanNode(Boolean.parseBoolean(word));
        }
        JsonNode number;
        try {
            number = JSON.readTree(word);
        } catch (RuntimeException notJson) {
            return invalidOperand(word);
        }
        return number.isNumber() ? number : invalidOperand(word);
    }

    private static JsonNode invalidOperand(String word) {
        throw new IllegalArgumentException("template: bad operand " + word);
    }

    /** Go's truth: false, 0, nil, and empty strings, arrays and maps are false. */
    static boolean truthy(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.doubleValue() != 0;
        }
        if (value.isString()) {
            return !value.stringValue().isEmpty();
        }
        return !value.isEmpty();
    }

    /** As Go's fmt prints the value with %v. */
    static String print(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "<no value>";
        }
        if (value.isNull()) {
            return "<nil>";
        }
        if (value.isString()) {
            return value.stringValue();
        }
        if (value.isArray()) {
            List<String> elements = new ArrayList<>();
            value.values().forEach(element -> elements.add(print(element)));
            return "[" + String.join(" ", elements) + "]";
        }
        if (value.isObject()) {
            List<String> entries = new ArrayList<>();
            sorted(value).forEach((key, element) -> entries.add(key + ":" + print(element)));
            return "map[" + String.join(" ", entries) + "]";
        }
        return value.toString();
    }

    static Map<String, JsonNode> sorted(JsonNode object) {
        Map<String, JsonNode> entries = new TreeMap<>();
        object.properties().forEach(entry -> entries.put(entry.getKey(), entry.getValue()));
        return entries;
    }

    /** Reads text and actions; {@code {{else}}} and {@code {{end}}} close the block being read. */
    private static final class Parser {

        private final String text;
        private int position;
        /** The keyword that ended the last {@link #nodes} call: "end", "else" or null at the end of text. */
        private String closedBy;

        Parser(String text) {
            this.text = text;
        }

        List<Node> nodes(boolean inBlock) {
            List<Node> nodes = new ArrayList<>();
            while (position < text.length()) {
                int open = text.indexOf("{{", position);
                if (open < 0) {
                    nodes.add(new Text(text.substring(position)));
                    position = text.length();
                    break;
                }
                if (open > position) {
                    nodes.add(new Text(text.substring(position, open)));
                }
                int close = text.indexOf("}}", open);
                if (close < 0) {
                    throw error("unclosed action");
                }
                List<String> words = words(text.substring(open + 2, close).strip());
                position = close + 2;
                if (words.isEmpty()) {
                    throw error("missing value for command");
                }
                switch (words.getFirst()) {
                    case "end", "else" -> {
                        if (!inBlock || words.size() > 1) {
                            throw error("unexpected {{" + String.join(" ", words) + "}}");
                        }
                        closedBy = words.getFirst();
                        return nodes;
                    }
                    case "range", "if" -> nodes.add(block(words));
                    default -> nodes.add(new Action(pipeline(words)));
                }
            }
            if (inBlock) {
                throw error("unexpected EOF");
            }
            closedBy = null;
            return nodes;
        }

        private Block block(List<String> words) {
            if (words.size() < 2) {
                throw error("missing value for " + words.getFirst());
            }
            List<List<String>> pipeline = pipeline(words.subList(1, words.size()));
            List<Node> body = nodes(true);
            List<Node> otherwise = List.of();
            if ("else".equals(closedBy)) {
                otherwise = nodes(true);
                if (!"end".equals(closedBy)) {
                    throw error("expected end; found else");
                }
            }
            return new Block(words.getFirst(), pipeline, body, otherwise);
        }

        private List<List<String>> pipeline(List<String> words) {
            List<List<String>> commands = new ArrayList<>();
            List<String> command = new ArrayList<>();
            for (String word : words) {
                if (word.equals("|")) {
                    commands.add(command);
                    command = new ArrayList<>();
                } else {
                    command.add(word);
                }
            }
            commands.add(command);
            for (List<String> each : commands) {
                if (each.isEmpty()) {
                    throw error("missing command in pipeline");
                }
                if (isFunction(each.getFirst()) && !TemplateFunctions.exists(each.getFirst())) {
                    throw error("function \"" + each.getFirst() + "\" not defined");
                }
            }
            return commands;
        }

        /** Words split at spaces, a quoted string (with Go's escapes) kept whole. */
        private List<String> words(String action) {
            List<String> words = new ArrayList<>();
            int i = 0;
            while (i < action.length()) {
                char c = action.charAt(i);
                if (c == ' ' || c == '\t') {
                    i++;
                } else if (c == '"') {
                    int end = i + 1;
                    while (end < action.length() && action.charAt(end) != '"') {
                        end += action.charAt(end) == '\\' ? 2 : 1;
                    }
                    if (end >= action.length()) {
                        throw error("unterminated quoted string");
                    }
                    words.add(action.substring(i, end + 1));
                    i = end + 1;
                } else if (c == '|') {
                    words.add("|");
                    i++;
                } else {
                    int end = i;
                    while (end < action.length() && " \t|".indexOf(action.charAt(end)) < 0) {
                        end++;
                    }
                    words.add(action.substring(i, end));
                    i = end;
                }
            }
            return words;
        }

        private IllegalArgumentException error(String why) {
            return new IllegalArgumentException("template parsing error: template: :1: " + why);
        }
    }
}
