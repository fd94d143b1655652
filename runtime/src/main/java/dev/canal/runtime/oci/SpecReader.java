package dev.canal.runtime.oci;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Reads config.json into a {@link Spec}, turning every failure into one line that says where:
 * {@code config.json: line 3, column 5: ...} for broken JSON, and
 * {@code config.json: process.user.uid: expected a number, got "root"} for a value of the wrong
 * type.
 *
 * <p>It reads in two steps so that each kind of error can be explained well: first the JSON
 * syntax into a tree (Jackson knows the line and column), then the tree into records (Jackson
 * knows the path, and the tree holds the offending value to quote back).
 */
public final class SpecReader {

    private static final Set<Class<?>> WHOLE_NUMBERS = Set.of(Long.class, long.class, Integer.class, int.class);

    private SpecReader() {}

    /** Reads and binds a config.json file; errors start with the file's path. */
    public static Spec read(Path file) {
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidSpecException(file + ": cannot read: " + reason(e), e);
        }
        return bind(file.toString(), () -> SpecJson.MAPPER.readTree(json), Spec.class);
    }

    /** Reads and binds config.json text; errors start with {@code source}, for example "config.json". */
    public static Spec parse(String json, String source) {
        return bind(source, () -> SpecJson.MAPPER.readTree(json), Spec.class);
    }

    /**
     * Reads a {@code process} object on its own, as {@code runc exec --process} takes it from a
     * file; errors start with {@code source} and name the field within the process
     * ({@code args: expected an array, got "x"}).
     */
    public static ProcessConfig parseProcess(String json, String source) {
        return bind(source, () -> SpecJson.MAPPER.readTree(json), ProcessConfig.class);
    }

    /**
     * Reads a {@code linux.resources} object on its own, as {@code runc update --resources}
     * takes it; errors start with {@code source}.
     */
    public static Resources parseResources(String json, String source) {
        return bind(source, () -> SpecJson.MAPPER.readTree(json), Resources.class);
    }

    private static <T> T bind(String source, Supplier<JsonNode> syntax, Class<T> type) {
        JsonNode document;
        try {
            document = syntax.get();
        } catch (JacksonException e) {
            throw syntaxError(source, e);
        }
        if (!document.isObject()) {
            throw new InvalidSpecException(source + ": expected an object, got " + describe(document));
        }
        try {
            return SpecJson.MAPPER.treeToValue(document, type);
        } catch (JacksonException e) {
            String path = JsonPath.of(e.getPath());
            String problem = typeError(e, valueAt(document, e.getPath()));
            throw new InvalidSpecException(source + ": " + (path.isEmpty() ? "" : path + ": ") + problem, e);
        }
    }

    private static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException _ -> "no such file";
            case AccessDeniedException _ -> "permission denied";
            default -> e.toString();
        };
    }

    private static InvalidSpecException syntaxError(String source, JacksonException e) {
        TokenStreamLocation at = e.getLocation();
        String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
        // Reading a tree, the one error that is not about syntax is content after the document.
        String problem = e instanceof MismatchedInputException
                ? "more JSON after the end of the document"
                : oneLine(e.getOriginalMessage());
        return new InvalidSpecException(source + ": " + where + problem, e);
    }

    private static String typeError(JacksonException e, JsonNode actual) {
        Class<?> expected = switch (e) {
            case MismatchedInputException mismatch -> mismatch.getTargetType();
            case InputCoercionException coercion -> coercion.getTargetType();
            default -> null;
        };
        if (expected == null) {
            return oneLine(e.getOriginalMessage());
        }
        if (WHOLE_NUMBERS.contains(expected) && actual.isIntegralNumber()) {
            return actual + " is out of range";
        }
        return "expected " + expectation(expected, actual) + ", got " + describe(actual);
    }

    /** What a value of the bound Java type looks like in JSON, said for a person. */
    private static String expectation(Class<?> expected, JsonNode actual) {
        if (WHOLE_NUMBERS.contains(expected)) {
            return actual.isNumber() ? "a whole number" : "a number";
        }
        if (expected == String.class) {
            return "a string";
        }
        if (expected == Boolean.class || expected == boolean.class) {
            return "true or false";
        }
        return List.class.isAssignableFrom(expected) ? "an array" : "an object";
    }

    /** A JSON value as an error message quotes it: {@code "root"}, {@code 1.5}, an object. */
    private static String describe(JsonNode value) {
        if (value.isMissingNode()) {
            return "nothing";
        }
        if (value.isContainer()) {
            return value.isObject() ? "an object" : "an array";
        }
        return value.isString() ? Quoted.of(value.asString()) : value.toString();
    }

    private static JsonNode valueAt(JsonNode document, List<JacksonException.Reference> path) {
        JsonNode node = document;
        for (JacksonException.Reference step : path) {
            node = step.getIndex() >= 0 ? node.path(step.getIndex()) : node.path(step.getPropertyName());
        }
        return node;
    }

    /** Jackson's own text, without its source description, on one line. */
    private static String oneLine(String message) {
        return message.replaceAll("\\s*\\(start marker at \\[.*?]\\)", "")
                .replaceAll("\\s+", " ")
                .strip();
    }
}
