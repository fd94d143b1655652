package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What a hook reads on its standard input is what databind wrote for the state before. */
class ContainerStateJsonTest {

    private static final JsonMapper DATABIND = JsonMapper.builder().build();

    @Test
    void aHookReadsWhatDatabindWrote() {
        var annotations = new LinkedHashMap<String, String>();
        annotations.put("org.example/z", "a\\b\nc\u0001\t é ☃ /");
        annotations.put("a", "");
        for (Map<String, String> each : java.util.Arrays.<Map<String, String>>asList(annotations, Map.of(), null)) {
            for (var status : List.of(ContainerStatus.CREATING, ContainerStatus.CREATED, ContainerStatus.STOPPED)) {
                var state = new ContainerState(
                        ContainerState.OCI_VERSION,
                        "c1",
                        status,
                        4242,
                        "/b \"x\"",
                        "/b/rootfs",
                        "2026-12-08T00:00:00Z",
                        "",
                        each);
                assertEquals(
                        DATABIND.writeValueAsString(state),
                        new String(HookCommand.stateJson(state), StandardCharsets.UTF_8));
            }
        }
    }
}
