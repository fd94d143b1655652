package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class InspectDocumentTest {

    private static final String ID = "f".repeat(64);

    @TempDir
    Path directory;

    private Engine engine;

    @BeforeEach
    void open() {
        engine = Engine.open(directory.resolve("data"), directory.resolve("exec"));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private static ContainerRecord record(ContainerSpec spec, Integer exitCode) {
        return new ContainerRecord(
                ID,
                "web",
                "busybox",
                "sha256:" + "a".repeat(64),
                List.of("/bin/sh", "-c", "echo hi"),
                "2026-01-02T03:04:05Z",
                exitCode,
                exitCode == null ? null : "2026-01-02T03:04:06Z",
                spec,
                "2026-01-02T03:04:05.5Z",
                2,
                false,
                null,
                false);
    }

    @Test
    void hasTheFieldsTheDockerCliReads() {
        ContainerSpec spec = new ContainerSpec(
                "busybox",
                List.of("-c", "echo hi"),
                List.of("/bin/sh"),
                List.of("A=1"),
                "/work",
                "1000",
                "web",
                false,
                true,
                false,
                Map.of("tier", "front"),
                "SIGINT",
                3,
                ContainerSpec.HostSettings.DEFAULTS.withBinds(List.of("/srv:/srv:ro", "cache:/cache")));
        JsonNode json = InspectDocument.of(new ContainerView(record(spec, 3), ContainerView.State.exited(3)), engine);

        assertEquals(ID, json.path("Id").asString());
        assertEquals("/web", json.path("Name").asString(), "docker names start with a slash");
        assertEquals("/bin/sh", json.path("Path").asString());
        assertEquals(List.of("-c", "echo hi"), strings(json.path("Args")));
        assertEquals("exited", json.path("State").path("Status").asString());
        assertFalse(json.path("State").path("Running").asBoolean());
        assertEquals(3, json.path("State").path("ExitCode").asInt());
        assertEquals(
                "2026-01-02T03:04:06Z", json.path("State").path("FinishedAt").asString());
        assertEquals(2, json.path("RestartCount").asInt());
        assertEquals(engine.logPath(ID).toString(), json.path("LogPath").asString());
        assertEquals(
                "no", json.path("HostConfig").path("RestartPolicy").path("Name").asString());
        assertEquals(
                "json-file",
                json.path("HostConfig").path("LogConfig").path("Type").asString());
        assertEquals(List.of("A=1"), strings(json.path("Config").path("Env")));
        assertEquals(List.of("/bin/sh"), strings(json.path("Config").path("Entrypoint")));
        assertEquals("front", json.path("Config").path("Labels").path("tier").asString());
        assertEquals("SIGINT", json.path("Config").path("StopSignal").asString());
        assertEquals(3, json.path("Config").path("StopTimeout").asInt());
        assertTrue(json.path("NetworkSettings").path("Networks").has("none"));

        JsonNode bind = json.path("Mounts").get(0);
        assertEquals("bind", bind.path("Type").asString());
        assertEquals("/srv", bind.path("Source").asString());
        assertEquals("ro", bind.path("Mode").asString());
        assertFalse(bind.path("RW").asBoolean());
        JsonNode volume = json.path("Mounts").get(1);
        assertEquals("volume", volume.path("Type").asString());
        assertEquals("cache", volume.path("Name").asString());
        assertTrue(volume.path("RW").asBoolean());
    }

    @Test
    void aCreatedContainerHasZeroTimesAndNoPid() {
        ContainerRecord created =
                ContainerRecord.created(ID, "web", "busybox", null, List.of(), "2026-01-02T03:04:05Z", null);
        JsonNode json = InspectDocument.of(new ContainerView(created, ContainerView.State.created()), engine);
        assertEquals("created", json.path("State").path("Status").asString());
        assertEquals(
                "0001-01-01T00:00:00Z", json.path("State").path("StartedAt").asString());
        assertEquals(
                "0001-01-01T00:00:00Z", json.path("State").path("FinishedAt").asString());
        assertEquals("", json.path("Path").asString());
        assertEquals(0, json.path("Args").size());
        assertEquals("", json.path("NetworkSettings").path("SandboxKey").asString());
        assertTrue(json.path("Config").path("Cmd").isNull(), "no Cmd is null, as docker shows it");
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }
}
