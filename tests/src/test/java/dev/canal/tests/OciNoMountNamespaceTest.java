package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A config without a mount namespace (issue 13's second defect): the container's root comes
 * from chroot(2) alone, and the caller's mount namespace is left as it was. The run happens in a
 * private mount namespace of the test's (unshare(1)), whose mount table is read before and
 * after, so a regression breaks only that namespace and not the machine.
 */
@RequiresRoot
class OciNoMountNamespaceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    /** runc's default spec without the mount namespace and everything that needs one. */
    private Path bundleWithoutMountNamespace(String... args) throws Exception {
        Path bundle = OciBundle.create(work.resolve("bundle"));
        OciBundle.process(bundle, args);
        Path config = bundle.resolve("config.json");
        var tree = (ObjectNode) JSON.readTree(config.toFile());
        tree.putArray("mounts");
        ((ObjectNode) tree.get("root")).put("readonly", false);
        var linux = (ObjectNode) tree.get("linux");
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String type : List.of("pid", "ipc", "uts", "network")) {
            namespaces.addObject().put("type", type);
        }
        linux.remove(List.of("maskedPaths", "readonlyPaths", "devices"));
        Files.writeString(config, JSON.writeValueAsString(tree));
        return bundle;
    }

    @Test
    void theContainerIsChrootedAndTheCallersMountsStayAsTheyWere() throws Exception {
        Path bundle = bundleWithoutMountNamespace("sh", "-c", "ls /; echo pid $$");
        String script = String.join(
                "\n",
                "cat /proc/self/mountinfo > " + work.resolve("before"),
                "\"$1\" --root \"$2\" run --bundle \"$3\" no-mnt-ns; echo \"exit $?\"",
                "cat /proc/self/mountinfo > " + work.resolve("after"),
                "ls / > /dev/null && echo 'the caller still has its root'");
        var run = CanalHome.run(
                List.of(
                        "unshare",
                        "--mount",
                        "--propagation",
                        "private",
                        "sh",
                        "-c",
                        script,
                        "sh",
                        CanalHome.ROOT.resolve("bin/canal-oci").toString(),
                        work.resolve("state").toString(),
                        bundle.toString()),
                Map.of(),
                60);
        assertEquals(0, run.exitCode(), run.stderr());
        List<String> lines = run.stdout().lines().toList();
        assertTrue(lines.contains("exit 0"), run.stdout() + run.stderr());
        assertTrue(lines.contains("pid 1"), "its own pid namespace: " + lines);
        assertTrue(lines.contains("bin") && !lines.contains("work"), "/ is the bundle's rootfs: " + lines);
        assertTrue(lines.contains("the caller still has its root"), lines.toString());
        assertEquals(Files.readString(work.resolve("before")), Files.readString(work.resolve("after")));
    }

    @Test
    void mountsWithoutAMountNamespaceAreRefusedNamingTheField() throws Exception {
        Path bundle = bundleWithoutMountNamespace("true");
        Path config = bundle.resolve("config.json");
        var tree = (ObjectNode) JSON.readTree(config.toFile());
        ((ArrayNode) tree.get("mounts"))
                .addObject()
                .put("destination", "/proc")
                .put("type", "proc")
                .put("source", "proc");
        Files.writeString(config, JSON.writeValueAsString(tree));
        var run = OciBundle.oci(work.resolve("state").toString(), "run", "--bundle", bundle.toString(), "refused");
        assertEquals(1, run.exitCode(), run.stdout());
        assertTrue(run.stderr().contains("mounts: set without a mount namespace in linux.namespaces"), run.stderr());
        assertEquals(1, run.stderr().lines().count(), run.stderr());
        assertEquals(
                "",
                OciBundle.oci(work.resolve("state").toString(), "list", "--quiet")
                        .stdout());
    }
}
