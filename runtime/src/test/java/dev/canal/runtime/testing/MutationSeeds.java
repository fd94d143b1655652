package dev.canal.runtime.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The real configs the mutation tests start from (src/test/resources/mutation: runc's spec,
 * podman's and docker's {@code run --rm busybox true}, see its README), with what names the
 * machine they were captured on pointed at a {@link MutationBundle}: the rootfs, the sources of
 * bind mounts, podman's network namespace file (a new network namespace instead) and the cgroup
 * paths (under a parent of the test's own). runc's {@code sh} becomes {@code true}, as in the
 * others, so a started container ends by itself; rlimits above 1024 come down to 1024, which a
 * runtime without CAP_SYS_RESOURCE (a nested sandbox) may still set.
 */
public final class MutationSeeds {

    /** The seeds' names, the files' names without ".json". */
    public static final List<String> NAMES = List.of("runc-spec", "podman-run", "docker-run");

    /** The cgroup parent of the seeds that name a cgroup path. */
    public static final String CGROUP_PARENT = "/canal-mutation";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MutationSeeds() {}

    /** Seed {@code name} as captured. */
    public static String text(String name) {
        try (InputStream in = MutationSeeds.class.getResourceAsStream("/mutation/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no seed config " + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every seed, pointed at {@code bundle}, in {@link #NAMES}' order. */
    public static Map<String, ObjectNode> forBundle(MutationBundle bundle) {
        var seeds = new LinkedHashMap<String, ObjectNode>();
        for (String name : NAMES) {
            var config = (ObjectNode) JSON.readTree(text(name));
            pointAt(config, name, bundle);
            seeds.put(name, config);
        }
        return seeds;
    }

    private static void pointAt(ObjectNode config, String name, MutationBundle bundle) {
        ((ObjectNode) config.get("root")).put("path", "rootfs");
        ObjectNode process = (ObjectNode) config.get("process");
        process.putArray("args").add("true");
        if (process.get("rlimits") instanceof ArrayNode rlimits) {
            for (JsonNode rlimit : rlimits) {
                for (String limit : List.of("hard", "soft")) {
                    if (rlimit.get(limit).asLong() > 1024) {
                        ((ObjectNode) rlimit).put(limit, 1024);
                    }
                }
            }
        }
        for (JsonNode mount : config.get("mounts")) {
            if (mount.get("type").asString().equals("bind")) {
                String destination = mount.get("destination").asString();
                String file = destination.substring(destination.lastIndexOf('/') + 1);
                ((ObjectNode) mount)
                        .put(
                                "source",
                                bundle.directory()
                                        .resolve("binds")
                                        .resolve(file)
                                        .toString());
            }
        }
        ObjectNode linux = (ObjectNode) config.get("linux");
        for (JsonNode namespace : linux.get("namespaces")) {
            ((ObjectNode) namespace).remove("path");
        }
        if (linux.has("cgroupsPath")) {
            linux.put("cgroupsPath", CGROUP_PARENT + "/" + name);
        }
    }
}
