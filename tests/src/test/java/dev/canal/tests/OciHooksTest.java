package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hooks through bin/canal-oci, with create, start and delete each in a process of its own, as
 * runc's users run them: every stage gets the document {@code canal-oci state} prints.
 */
@RequiresRoot
class OciHooksTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> STAGES =
            List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");

    @TempDir
    Path work;

    private Path bundle;
    private Path seen;
    private String root;

    @BeforeEach
    void bundleFromRuncsDefaultSpec() throws Exception {
        bundle = OciBundle.create(work.resolve("bundle"));
        seen = Files.createDirectories(work.resolve("seen"));
        root = work.resolve("state").toString();
        OciBundle.process(bundle, "sleep", "600");
    }

    /**
     * Adds hooks to config.json: for each stage, busybox's sh saving its standard input as
     * STAGE.json in the seen directory, which the container has as /seen (startContainer runs
     * in the container, where its paths resolve).
     */
    private void hooks(String failingStage) throws Exception {
        Path config = bundle.resolve("config.json");
        var tree = (ObjectNode) JSON.readTree(config.toFile());
        ObjectNode mount = ((ArrayNode) tree.get("mounts")).addObject();
        mount.put("destination", "/seen").put("type", "bind").put("source", seen.toString());
        mount.putArray("options").add("rbind").add("rw");
        ObjectNode hooks = tree.putObject("hooks");
        for (String stage : STAGES) {
            String directory = stage.equals("startContainer") ? "/seen" : seen.toString();
            String script = stage.equals(failingStage) ? "echo no >&2; exit 1" : "cat > " + directory + "/$0.json";
            ObjectNode hook = hooks.putArray(stage).addObject().put("path", "/bin/busybox");
            hook.putArray("args").add("sh").add("-c").add(script).add(stage);
            hook.put("timeout", 30);
        }
        Files.writeString(config, JSON.writeValueAsString(tree));
    }

    private JsonNode seen(String stage) throws Exception {
        return JSON.readTree(seen.resolve(stage + ".json").toFile());
    }

    private CanalHome.Result oci(String... args) throws Exception {
        return OciBundle.oci(root, args);
    }

    @Test
    void eachStageGetsTheStateAtItsPointOfTheLifecycle() throws Exception {
        hooks(null);
        var create = oci("create", "--bundle", bundle.toString(), "hooked");
        assertEquals(0, create.exitCode(), create.stderr());
        var state = (ObjectNode) JSON.readTree(oci("state", "hooked").stdout());
        for (String stage : List.of("prestart", "createRuntime", "createContainer")) {
            ObjectNode expected = state.deepCopy().put("status", "creating");
            assertEquals(expected, seen(stage), stage + ": canal-oci state's document, while creating");
        }
        assertFalse(Files.exists(seen.resolve("startContainer.json")));

        var start = oci("start", "hooked");
        assertEquals(0, start.exitCode(), start.stderr());
        assertEquals(state, seen("startContainer"), "startContainer: while still created");
        assertEquals(state.deepCopy().put("status", "running"), seen("poststart"));
        assertFalse(Files.exists(seen.resolve("poststop.json")));

        var delete = oci("delete", "--force", "hooked");
        assertEquals(0, delete.exitCode(), delete.stderr());
        assertEquals(state.deepCopy().put("status", "stopped").put("pid", 0), seen("poststop"));
    }

    @Test
    void aFailingCreateRuntimeHookFailsCreateWithNothingLeft() throws Exception {
        hooks("createRuntime");
        var create = oci("create", "--bundle", bundle.toString(), "failing");
        assertNotEquals(0, create.exitCode());
        assertTrue(
                create.stderr()
                        .contains(
                                "error running createRuntime hook #0 (/bin/busybox): exit status 1, stdout: , stderr: no"),
                create.stderr());
        assertEquals("", oci("list", "--quiet").stdout());
        assertFalse(Files.exists(Path.of(root, "failing")));
        assertTrue(Files.exists(seen.resolve("poststop.json")), "the destroy step runs the poststop hooks");
    }
}
