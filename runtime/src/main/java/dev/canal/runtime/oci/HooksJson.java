package dev.canal.runtime.oci;

import java.io.StringWriter;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * {@link Hooks} as JSON for keeping beside a container's state, written with Jackson's streaming
 * generator: databind's mapper is hundreds of classes that a {@code create} would otherwise load,
 * or carry in its AOT cache, for this one object (docs/start-time.md, step 13). What
 * {@link SpecReader#parseHooks} reads back is the same {@link Hooks}: absent and empty lists are
 * left out, as config.json writes them, and properties the spec does not define are kept.
 */
final class HooksJson {

    private static final JsonFactory JSON = new JsonFactory();

    private HooksJson() {}

    static String write(Hooks hooks) {
        var text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), text)) {
            json.writeStartObject();
            stage(json, "prestart", hooks.prestart());
            stage(json, "createRuntime", hooks.createRuntime());
            stage(json, "createContainer", hooks.createContainer());
            stage(json, "startContainer", hooks.startContainer());
            stage(json, "poststart", hooks.poststart());
            stage(json, "poststop", hooks.poststop());
            unknown(json, hooks.unknownFields());
            json.writeEndObject();
        }
        return text.toString();
    }

    private static void stage(JsonGenerator json, String name, List<Hooks.Hook> hooks) {
        if (hooks.isEmpty()) {
            return;
        }
        json.writeArrayPropertyStart(name);
        for (Hooks.Hook hook : hooks) {
            json.writeStartObject();
            if (hook.path() != null) {
                json.writeStringProperty("path", hook.path());
            }
            strings(json, "args", hook.args());
            strings(json, "env", hook.env());
            if (hook.timeout() != null) {
                json.writeNumberProperty("timeout", hook.timeout());
            }
            unknown(json, hook.unknownFields());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void strings(JsonGenerator json, String name, List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        json.writeArrayPropertyStart(name);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    private static void unknown(JsonGenerator json, Map<String, Object> fields) {
        for (var field : fields.entrySet()) {
            json.writeName(field.getKey());
            any(json, field.getValue());
        }
    }

    /**
     * A value as {@link JsonInput#any} reads it: a map, a list, a string, a number, a boolean or
     * null. Tested with {@code instanceof}: a pattern {@code switch} on types links a bootstrap
     * method and spins classes in every new JVM (docs/start-time.md, step 12).
     */
    private static void any(JsonGenerator json, Object value) {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (var entry : map.entrySet()) {
                json.writeName((String) entry.getKey());
                any(json, entry.getValue());
            }
            json.writeEndObject();
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (Object element : list) {
                any(json, element);
            }
            json.writeEndArray();
        } else if (value instanceof String string) {
            json.writeString(string);
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof Integer || value instanceof Long) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger number) {
            json.writeNumber(number);
        } else if (value instanceof Double number) {
            json.writeNumber(number);
        } else {
            throw new IllegalArgumentException(
                    "not a JSON value: " + value.getClass().getName());
        }
    }
}
