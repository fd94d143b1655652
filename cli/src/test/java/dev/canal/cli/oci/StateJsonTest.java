package dev.canal.cli.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.canal.runtime.container.ContainerState;
import dev.canal.runtime.container.ContainerStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code state} and {@code list --format json} print what databind's INDENT_OUTPUT printed before. */
class StateJsonTest {

    private static final JsonMapper INDENTED =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private static ContainerState state(ContainerStatus status, Map<String, String> annotations) {
        return new ContainerState(
                ContainerState.OCI_VERSION,
                "c1",
                status,
                4242,
                "/tmp/bundle \"x\"",
                "/tmp/bundle/rootfs",
                "2026-11-28T01:10:08.725850478Z",
                "",
                annotations);
    }

    private static Map<String, String> annotations() {
        var annotations = new LinkedHashMap<String, String>();
        annotations.put("org.example/z", "a\\b\nc\u0001\t é ☃ /");
        annotations.put("a", "");
        return annotations;
    }

    @Test
    void oneStateAsDatabindIndentsIt() {
        for (var state : List.of(
                state(ContainerStatus.RUNNING, annotations()),
                state(ContainerStatus.CREATED, Map.of()),
                state(ContainerStatus.STOPPED, null))) {
            assertEquals(INDENTED.writeValueAsString(state), StateJson.of(state));
        }
    }

    @Test
    void aListOfStatesAsDatabindIndentsIt() {
        for (var states : List.of(
                List.<ContainerState>of(),
                List.of(state(ContainerStatus.RUNNING, annotations())),
                List.of(state(ContainerStatus.RUNNING, Map.of()), state(ContainerStatus.PAUSED, annotations())))) {
            assertEquals(INDENTED.writeValueAsString(states), StateJson.of(states));
        }
    }
}
