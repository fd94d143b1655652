package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * state.json, read and written field by field with Jackson's streaming API: the same text as
 * databind writes for the record (what Canal wrote before, and what is on disk for containers
 * created by an older canal-oci), and back to the same record.
 */
class StoredStateTest {

    private static final JsonMapper DATABIND = JsonMapper.builder().build();

    private static StoredState state(Map<String, String> annotations) {
        return new StoredState(
                "c-1.x",
                4242,
                123456789012L,
                "/tmp/bundle \"quoted\"",
                "/tmp/bundle/rootfs",
                "2026-11-28T01:10:08.725850478Z",
                annotations,
                "clone",
                "/canal/c-1.x");
    }

    private static Map<String, String> annotations() {
        var annotations = new LinkedHashMap<String, String>();
        annotations.put("org.example/z-first", "a\\b\nc\u0001 é ☃ /");
        annotations.put("a-second", "");
        return annotations;
    }

    @Test
    void writesTheTextDatabindWrites() {
        for (StoredState state : new StoredState[] {state(annotations()), state(Map.of()), state(null)}) {
            assertEquals(DATABIND.writeValueAsString(state), new String(state.toJson(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void readsBackWhatItAndDatabindWrote() {
        for (StoredState state : new StoredState[] {state(annotations()), state(Map.of()), state(null)}) {
            assertEquals(state, StoredState.fromJson(state.toJson()));
            assertEquals(state, StoredState.fromJson(DATABIND.writeValueAsBytes(state)));
        }
        var read = StoredState.fromJson(state(annotations()).toJson());
        assertEquals(
                annotations().keySet().stream().toList(),
                read.annotations().keySet().stream().toList(),
                "in the file's order");
    }

    @Test
    void skipsFieldsItDoesNotKnow() {
        String json = "{\"id\":\"c\",\"hooks\":{\"poststop\":[{\"path\":\"/bin/true\"}]},\"pid\":7,\"extra\":[1,2]}";
        assertEquals(
                new StoredState("c", 7, 0, null, null, null, null, null, null),
                StoredState.fromJson(json.getBytes(StandardCharsets.UTF_8)));
    }
}
