package dev.canal.runtime.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The hooks kept beside a container's state read back as they were, and say what databind's
 * mapper said for them (as JSON trees: databind indented them with tabs).
 */
class HooksJsonTest {

    private static final String EVERY_STAGE = """
            {"prestart": [{"path": "/usr/bin/hook", "args": ["hook", "prestart", ""], "env": ["A=1", "B=\\"2\\""],
                           "timeout": 5}],
             "createRuntime": [{"path": "/a"}, {"path": "/b", "args": [], "env": []}],
             "createContainer": [{"path": "/c", "x-extension": {"nested": [1, 2147483648, 18446744073709551616,
                                   1.5, true, false, null, "é ☃"]}}],
             "startContainer": [{"path": "/d", "timeout": 0}],
             "poststart": [],
             "poststop": [{"path": "/e", "args": ["e"]}],
             "x-unknown-stage": [{"path": "/f"}], "x-null": null}
            """;

    @Test
    void readsBackAsItWas() {
        Hooks hooks = Hooks.parse(EVERY_STAGE);
        assertEquals(hooks, Hooks.parse(hooks.toJson()));
    }

    @Test
    void saysWhatDatabindSaid() {
        Hooks hooks = Hooks.parse(EVERY_STAGE);
        assertEquals(
                SpecJson.MAPPER.readTree(SpecJson.MAPPER.writeValueAsString(hooks)),
                SpecJson.MAPPER.readTree(hooks.toJson()));
    }

    @Test
    void noHooksAreAnEmptyObject() {
        assertEquals("{}", Hooks.none().toJson());
    }
}
