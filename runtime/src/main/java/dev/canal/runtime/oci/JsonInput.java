package dev.canal.runtime.oci;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Typed reads of config.json's values from Jackson's streaming parser, as strict as Go's
 * encoding/json that runc and podman use: no string for a number, no number for a string, no
 * fraction for a whole number. A value of the wrong type is a {@link WrongValue} that says where
 * it is ({@code process.user.uid}) and what it is ({@code "root"}).
 *
 * <p>Each read starts on the value's first token and leaves the parser on its last one. A read
 * that may find the value absent returns null for JSON's {@code null}; a {@code required} one
 * (an array's element, a map's value, a primitive record component) refuses it.
 */
final class JsonInput {

    private static final BigInteger UINT64_LIMIT = BigInteger.ONE.shiftLeft(64);

    private final JsonParser parser;

    /** Where the parser is: a member's name (String) or an element's index (Integer) per level. */
    private final List<Object> path = new ArrayList<>();

    JsonInput(JsonParser parser) {
        this.parser = parser;
    }

    /**
     * An object's next member: its name, with the parser on its value; null after the last.
     * Starts on the object's {@code {}, and leaves the parser on its {@code }}.
     */
    String nextMember() {
        if (parser.nextToken() == JsonToken.END_OBJECT) {
            return null;
        }
        String name = parser.currentName();
        path.set(path.size() - 1, name);
        parser.nextToken();
        return name;
    }

    /** An object read by {@code reader} from its {@code {}, or null for JSON's null. */
    <T> T object(Function<JsonInput, T> reader) {
        return isNull() ? null : requiredObject(reader);
    }

    <T> T requiredObject(Function<JsonInput, T> reader) {
        expect(JsonToken.START_OBJECT, "an object");
        path.add(null);
        T value = reader.apply(this);
        path.removeLast();
        return value;
    }

    /** An array whose elements {@code element} reads, or null for JSON's null. */
    <T> List<T> list(Function<JsonInput, T> element) {
        if (isNull()) {
            return null;
        }
        expect(JsonToken.START_ARRAY, "an array");
        var elements = new ArrayList<T>();
        path.add(null);
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            path.set(path.size() - 1, elements.size());
            elements.add(element.apply(this));
        }
        path.removeLast();
        return elements;
    }

    /** An object taken as a map from its names to what {@code value} reads, in document order. */
    <T> Map<String, T> map(Function<JsonInput, T> value) {
        if (isNull()) {
            return null;
        }
        expect(JsonToken.START_OBJECT, "an object");
        var entries = new LinkedHashMap<String, T>();
        path.add(null);
        for (String name = nextMember(); name != null; name = nextMember()) {
            entries.put(name, value.apply(this));
        }
        path.removeLast();
        return entries;
    }

    String string() {
        return isNull() ? null : requiredString();
    }

    String requiredString() {
        expect(JsonToken.VALUE_STRING, "a string");
        return parser.getString();
    }

    Boolean bool() {
        return isNull() ? null : requiredBool();
    }

    boolean requiredBool() {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw wrong("true or false");
        }
        return token == JsonToken.VALUE_TRUE;
    }

    Integer int32() {
        return isNull() ? null : requiredInt32();
    }

    int requiredInt32() {
        BigInteger value = wholeNumber();
        if (value.bitLength() >= Integer.SIZE) {
            throw outOfRange(value);
        }
        return value.intValue();
    }

    /** An {@code int64}, or a {@code uint32} held in a long. */
    Long int64() {
        return isNull() ? null : requiredInt64();
    }

    long requiredInt64() {
        BigInteger value = wholeNumber();
        if (value.bitLength() >= Long.SIZE) {
            throw outOfRange(value);
        }
        return value.longValue();
    }

    /** A {@code uint64}, 0 to 2^64-1, in the 64 bits of a long (package documentation). */
    Long uint64() {
        if (isNull()) {
            return null;
        }
        BigInteger value = wholeNumber();
        if (value.signum() < 0 || value.compareTo(UINT64_LIMIT) >= 0) {
            throw outOfRange(value);
        }
        return value.longValue();
    }

    /**
     * Any value, as databind's untyped reading makes it: a map, a list, a string, an Integer,
     * Long or BigInteger by size, a Double, a Boolean or null. For the properties the spec does
     * not define, kept as they came.
     */
    Object any() {
        return switch (parser.currentToken()) {
            case START_OBJECT -> map(JsonInput::any);
            case START_ARRAY -> list(JsonInput::any);
            case VALUE_STRING -> parser.getString();
            case VALUE_NUMBER_INT -> parser.getNumberValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> null;
        };
    }

    /** A wrong value found where the parser is now, said as "expected {@code expected}, got ...". */
    WrongValue wrong(String expected) {
        return new WrongValue(pathText(), "expected " + expected + ", got " + describeCurrent());
    }

    private boolean isNull() {
        return parser.currentToken() == JsonToken.VALUE_NULL;
    }

    private void expect(JsonToken token, String expected) {
        if (parser.currentToken() != token) {
            throw wrong(expected);
        }
    }

    private BigInteger wholeNumber() {
        return switch (parser.currentToken()) {
            case VALUE_NUMBER_INT -> parser.getBigIntegerValue();
            case VALUE_NUMBER_FLOAT -> throw wrong("a whole number");
            default -> throw wrong("a number");
        };
    }

    private WrongValue outOfRange(BigInteger value) {
        return new WrongValue(pathText(), value + " is out of range");
    }

    /** The current value as an error message quotes it: {@code "root"}, {@code 1.5}, an object. */
    private String describeCurrent() {
        if (parser.currentToken() == null) {
            return "nothing";
        }
        return switch (parser.currentToken()) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> Quoted.of(parser.getString());
            case VALUE_NUMBER_INT -> parser.getBigIntegerValue().toString();
            case VALUE_NUMBER_FLOAT -> Double.toString(parser.getDoubleValue());
            default -> parser.currentToken().asString();
        };
    }

    private String pathText() {
        String text = "";
        for (Object step : path) {
            text = step instanceof Integer index ? text + "[" + index + "]" : JsonPath.member(text, (String) step);
        }
        return text;
    }

    /**
     * A value of the wrong type or out of range: {@code path} is where, "" for the document
     * itself, and {@code problem} what is wrong with it.
     */
    static final class WrongValue extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final String path;

        WrongValue(String path, String problem) {
            super(problem, null, false, false);
            this.path = path;
        }

        /** Whether the wrong value is the document itself, not one inside it. */
        boolean atTheTop() {
            return path.isEmpty();
        }

        /** "path: problem", or the problem alone for the document itself. */
        String describe() {
            return path.isEmpty() ? getMessage() : path + ": " + getMessage();
        }
    }
}
