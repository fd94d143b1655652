package dev.canal.cli;

import dev.canal.runtime.oci.DefaultSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bundles for the AOT training runs of real containers ({@link AotTraining}): the static busybox
 * as the root filesystem, {@code canal-oci spec}'s config with the program given, as it is (a
 * seccomp filter and a cgroup namespace, as podman and docker send) or as runc 1.1's
 * {@code runc spec} writes it (neither), so both ways a container is spawned are trained.
 *
 * <p>The configs are written by {@link #main}, in a JVM of its own: they are edited as databind
 * trees, and every class a training JVM loads goes into its cache, which {@code create} and
 * {@code start} map and load whole at every start though neither uses databind
 * (docs/start-time.md, step 13).
 */
final class TrainingBundle {

    static final Path BUSYBOX = Path.of("/bin/busybox");

    /**
     * A member of each of the config's records and lists that canal-oci spec's config lacks, for
     * {@link #refused}: so that the cache holds the reader of every record (each a lambda
     * linked on its first use) whatever config an engine sends.
     */
    private static final String EVERY_RECORD = """
            {"process": {"consoleSize": {"height": 24, "width": 80}, "user": {"uid": 0, "gid": 0, "additionalGids": [0]},
                         "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
                         "scheduler": {"policy": "SCHED_OTHER"}, "ioPriority": {"class": "IOPRIO_CLASS_BE"}},
             "annotations": {"org.opencontainers.image.title": "training"},
             "hooks": {"prestart": [{"path": "/bin/true"}], "createRuntime": [], "createContainer": [],
                       "startContainer": [], "poststart": [], "poststop": []},
             "mount": {"destination": "/mapped", "type": "bind", "source": "/", "options": ["rbind"],
                       "uidMappings": [{"containerID": 0, "hostID": 0, "size": 1}],
                       "gidMappings": [{"containerID": 0, "hostID": 0, "size": 1}]},
             "linux": {"uidMappings": [{"containerID": 0, "hostID": 0, "size": 1}],
                       "gidMappings": [{"containerID": 0, "hostID": 0, "size": 1}],
                       "sysctl": {"net.ipv4.ip_forward": "1"},
                       "devices": [{"path": "/dev/null", "type": "c", "major": 1, "minor": 3}],
                       "intelRdt": {"closID": "x"}, "personality": {"domain": "LINUX", "flags": []},
                       "timeOffsets": {"monotonic": {"secs": 1}},
                       "resources": {"devices": [{"allow": false, "access": "rwm"}], "memory": {"limit": -1},
                                     "cpu": {"shares": 1024}, "pids": {"limit": -1},
                                     "blockIO": {"weight": 10, "weightDevice": [{"major": 8, "minor": 0}],
                                                 "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1}],
                                                 "throttleWriteBpsDevice": [], "throttleReadIOPSDevice": [],
                                                 "throttleWriteIOPSDevice": []},
                                     "hugepageLimits": [{"pageSize": "2MB", "limit": 0}],
                                     "network": {"classID": 1, "priorities": [{"name": "lo", "priority": 1}]},
                                     "rdma": {"mlx": {"hcaHandles": 1}}, "unified": {"memory.high": "max"}}}}
            """;

    /** The bundle {@link #main} writes whose config {@code create} reads in full and then refuses. */
    static final String REFUSED = "refused";

    private TrainingBundle() {}

    /**
     * Writes the create cache's bundles into directory {@code args[0]}: {@link #REFUSED}, and
     * {@link #named} of each variant over {@link #rootfsIn} (made by the training JVM itself).
     */
    public static void main(String[] args) throws IOException {
        Path work = Path.of(args[0]);
        refused(work.resolve(REFUSED));
        for (boolean asRuncSpec : new boolean[] {true, false}) {
            create(work.resolve(named(asRuncSpec, true)), rootfsIn(work), asRuncSpec, "/bin/true");
            create(work.resolve(named(asRuncSpec, false)), rootfsIn(work), asRuncSpec, "sleep", "600");
        }
    }

    /** The root filesystem {@link #main}'s container bundles name in {@code work}. */
    static Path rootfsIn(Path work) {
        return work.resolve("rootfs");
    }

    /** The name of a bundle {@link #main} writes: runc spec's config or canal-oci spec's, running true or sleep. */
    static String named(boolean asRuncSpec, boolean runsTrue) {
        return (asRuncSpec ? "runc-spec" : "canal-spec") + (runsTrue ? "-true" : "-sleep");
    }

    /** Why real containers cannot be trained on this machine, or empty if they can. */
    static Optional<String> whyNot() throws IOException {
        if ("false".equals(System.getProperty("canal.aot.containers"))) {
            return Optional.of("turned off (-Dcanal.aot.containers=false)");
        }
        if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") != 0) {
            return Optional.of("not root");
        }
        if (!Files.isExecutable(BUSYBOX)) {
            return Optional.of(BUSYBOX + " is missing (apt-get install busybox-static)");
        }
        return Optional.empty();
    }

    /** A root filesystem at {@code directory}: busybox and a link for each applet the training runs. */
    static Path rootfs(Path directory) throws IOException {
        Files.createDirectories(directory.resolve("bin"));
        for (String dir : List.of("proc", "sys", "dev", "tmp", "etc")) {
            Files.createDirectories(directory.resolve(dir));
        }
        Files.copy(BUSYBOX, directory.resolve("bin/busybox"));
        for (String applet : List.of("true", "sleep", "sh")) {
            Files.createSymbolicLink(directory.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Files.writeString(directory.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        return directory;
    }

    /**
     * A bundle at {@code directory} over {@code rootfs}, running {@code args} without a terminal,
     * with canal-oci spec's config or, if {@code asRuncSpec}, runc spec's.
     */
    private static Path create(Path directory, Path rootfs, boolean asRuncSpec, String... args) throws IOException {
        Files.createDirectories(directory);
        var config = (ObjectNode)
                JsonMapper.builder().build().readTree(DefaultSpec.create(false).toJson());
        var process = config.withObjectProperty("process");
        var arguments = process.putArray("args");
        for (String arg : args) {
            arguments.add(arg);
        }
        config.withObjectProperty("root").put("path", rootfs.toString());
        if (asRuncSpec) {
            var linux = config.withObjectProperty("linux");
            linux.remove("seccomp");
            var namespaces = linux.withArrayProperty("namespaces");
            for (int i = namespaces.size() - 1; i >= 0; i--) {
                if (namespaces.get(i).path("type").asString().equals("cgroup")) {
                    namespaces.remove(i);
                }
            }
        }
        Files.writeString(directory.resolve("config.json"), config.toString());
        return directory;
    }

    /**
     * A bundle at {@code directory} with canal-oci spec's config but a relative
     * {@code process.cwd}: create reads and checks the config in full, then refuses it before it
     * makes anything (no state, mount, cgroup or process), so the config's path is trained even
     * where containers cannot be.
     */
    private static Path refused(Path directory) throws IOException {
        Path bundle = create(directory, Files.createDirectories(directory.resolve("rootfs")), false, "/bin/true");
        Path config = bundle.resolve("config.json");
        var json = JsonMapper.builder().build();
        var tree = (ObjectNode) json.readTree(config.toFile());
        var everyRecord = (ObjectNode) json.readTree(EVERY_RECORD);
        tree.withObjectProperty("process").setAll(everyRecord.withObjectProperty("process"));
        tree.withObjectProperty("linux").setAll(everyRecord.withObjectProperty("linux"));
        tree.set("hooks", everyRecord.get("hooks"));
        tree.set("annotations", everyRecord.get("annotations"));
        tree.withArrayProperty("mounts").add(everyRecord.get("mount"));
        tree.withObjectProperty("process").put("cwd", "relative");
        Files.writeString(config, tree.toString());
        return bundle;
    }

    /**
     * A bundle at {@code directory} over {@code rootfs} with the least config that runs
     * {@code args} in new namespaces, written as text: Jackson databind, which reading and writing
     * {@code canal-oci spec}'s config here would load, would otherwise end up in the cache of
     * commands that never load it.
     */
    static Path minimal(Path directory, Path rootfs, String... args) throws IOException {
        Files.createDirectories(directory);
        var quoted = new StringBuilder();
        for (String arg : args) {
            quoted.append(quoted.isEmpty() ? "" : ",").append('"').append(arg).append('"');
        }
        Files.writeString(directory.resolve("config.json"), """
                {"ociVersion": "1.2.1",
                 "process": {"args": [%s], "cwd": "/", "env": ["PATH=/bin"], "user": {"uid": 0, "gid": 0}},
                 "root": {"path": "%s"},
                 "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
                 "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "ipc"}, {"type": "uts"}]}}
                """.formatted(quoted, rootfs));
        return directory;
    }

    /** A runtime-spec process file that runs {@code /bin/true}, as conmon and the shim pass to exec. */
    static Path processFile(Path file) throws IOException {
        return Files.writeString(
                file,
                "{\"args\":[\"/bin/true\"],\"cwd\":\"/\",\"env\":[\"PATH=/bin\"],\"user\":{\"uid\":0,\"gid\":0}}");
    }
}
