package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.canal.runtime.testing.BusyboxRootfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** A bundle as a runc user makes one (`canal-oci spec` and a busybox rootfs), and canal-oci with a private --root. */
final class OciBundle {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OciBundle() {}

    /** The bundle in {@code directory}: config.json from `canal-oci spec`, rootfs from busybox. */
    static Path create(Path directory) throws Exception {
        Files.createDirectories(directory);
        BusyboxRootfs.create(directory.resolve("rootfs"));
        var spec = CanalHome.run("canal-oci", Map.of(), "spec", "--bundle", directory.toString());
        assertEquals(0, spec.exitCode(), spec.stderr());
        return directory;
    }

    /** Sets the process's args in config.json, and no terminal. */
    static void process(Path bundle, String... args) throws Exception {
        Path config = bundle.resolve("config.json");
        var tree = (ObjectNode) JSON.readTree(config.toFile());
        var process = (ObjectNode) tree.get("process");
        process.put("terminal", false);
        var array = process.putArray("args");
        for (String arg : args) {
            array.add(arg);
        }
        Files.writeString(config, JSON.writeValueAsString(tree));
    }

    /** `canal-oci --root ROOT ARGS...`. */
    static CanalHome.Result oci(String root, String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "--root";
        all[1] = root;
        System.arraycopy(args, 0, all, 2, args.length);
        return CanalHome.run("canal-oci", Map.of(), all);
    }
}
