package dev.canal.engine;

import dev.canal.runtime.oci.DefaultSpec;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The config.json of an engine container: runc's default spec with Canal's seccomp profile
 * ({@link DefaultSpec}), changed to what docker gives a container (moby's oci/defaults.go): its
 * 14 default capabilities, a writable root unless {@code --read-only}, no rlimits of its own
 * (the engine's are inherited) unless {@code --ulimit}, setuid programs allowed; then the run's
 * own settings.
 */
public final class ContainerConfig {

    /** docker's default capability set: enough for a package manager and a shell, none to administer the host. */
    public static final List<String> DOCKER_CAPABILITIES = List.of(
            "CAP_CHOWN",
            "CAP_DAC_OVERRIDE",
            "CAP_FSETID",
            "CAP_FOWNER",
            "CAP_MKNOD",
            "CAP_NET_RAW",
            "CAP_SETGID",
            "CAP_SETUID",
            "CAP_SETFCAP",
            "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT",
            "CAP_KILL",
            "CAP_AUDIT_WRITE");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The default specs, made once: each container's config starts from a deep copy. */
    private static final ObjectNode DEFAULT = DefaultSpec.tree(false);

    private static final ObjectNode DEFAULT_WITH_TERMINAL = DefaultSpec.tree(true);

    private ContainerConfig() {}

    /** config.json's text for {@code run}. */
    public static String json(RunConfig run) {
        ObjectNode spec = (run.terminal() ? DEFAULT_WITH_TERMINAL : DEFAULT).deepCopy();
        spec.put("hostname", run.hostname());
        spec.putObject("root").put("path", run.rootfs()).put("readonly", run.readOnlyRootfs());
        process(spec.withObjectProperty("process"), run);
        ArrayNode mounts = spec.withArrayProperty("mounts");
        shmSize(mounts, run.resources().shmSize());
        // --tmpfs: docker mounts them nosuid, nodev and noexec, then the user's options.
        run.tmpfs().forEach((destination, options) -> {
            ObjectNode mount = mounts.addObject()
                    .put("destination", destination)
                    .put("type", "tmpfs")
                    .put("source", "tmpfs");
            ArrayNode list =
                    mount.putArray("options").add("nosuid").add("nodev").add("noexec");
            if (!options.isEmpty()) {
                for (String option : options.split(",")) {
                    list.add(option);
                }
            }
        });
        for (Volume volume : run.volumes()) {
            ObjectNode mount = mounts.addObject()
                    .put("destination", volume.container())
                    .put("type", "bind")
                    .put("source", volume.host().toString());
            volume.options().forEach(mount.putArray("options")::add);
        }
        ObjectNode linux = spec.withObjectProperty("linux");
        resources(linux.withObjectProperty("resources"), run);
        if (run.privileged()) {
            privileged(spec, linux);
        }
        if (run.hostNetwork()) {
            // --network host: the container stays in the engine's network namespace (namespaces(7)).
            removeNamespace(linux, "network");
        }
        if (run.sharedNetwork() != null) {
            // --network container:NAME: setns(2) into that container's namespace, not a new one.
            joinNamespace(linux, "network", run.sharedNetwork());
        }
        if (!run.cgroupNamespace()) {
            removeNamespace(linux, "cgroup");
        }
        return JSON.writeValueAsString(spec);
    }

    private static void joinNamespace(ObjectNode linux, String type, String path) {
        for (JsonNode namespace : linux.withArrayProperty("namespaces")) {
            if (namespace.path("type").asString().equals(type)) {
                ((ObjectNode) namespace).put("path", path);
            }
        }
    }

    /**
     * {@code --shm-size}: the size option of the /dev/shm tmpfs (tmpfs(5) takes bytes), which
     * the default spec mounts at 64 MiB, docker's default.
     */
    private static void shmSize(ArrayNode mounts, long bytes) {
        if (bytes <= 0) {
            return;
        }
        for (JsonNode mount : mounts) {
            if (mount.path("destination").asString().equals("/dev/shm")) {
                ArrayNode options = (ArrayNode) mount.path("options");
                for (int i = 0; i < options.size(); i++) {
                    if (options.get(i).asString().startsWith("size=")) {
                        options.set(i, "size=" + bytes);
                    }
                }
            }
        }
    }

    private static void removeNamespace(ObjectNode linux, String type) {
        ArrayNode namespaces = linux.withArrayProperty("namespaces");
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            if (namespaces.get(i).path("type").asString().equals(type)) {
                namespaces.remove(i);
            }
        }
    }

    private static void process(ObjectNode process, RunConfig run) {
        process.put("terminal", run.terminal());
        if (run.terminal() && run.consoleRows() > 0) {
            process.putObject("consoleSize").put("height", run.consoleRows()).put("width", run.consoleColumns());
        }
        stringArray(process, "args", run.args());
        stringArray(process, "env", run.env());
        process.put("cwd", run.cwd());
        ObjectNode user = process.putObject("user")
                .put("uid", run.user().uid())
                .put("gid", run.user().gid());
        if (!run.user().additionalGids().isEmpty()) {
            run.user().additionalGids().forEach(user.putArray("additionalGids")::add);
        }
        // docker sets bounding, effective and permitted alike, and leaves inheritable and
        // ambient empty: a non-root user keeps none across execve(2) (capabilities(7)).
        ObjectNode capabilities = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            stringArray(capabilities, set, run.capabilities());
        }
        process.remove("rlimits");
        List<Resources.Ulimit> ulimits = run.resources().ulimits();
        if (!ulimits.isEmpty()) {
            ArrayNode rlimits = process.putArray("rlimits");
            for (Resources.Ulimit ulimit : ulimits) {
                rlimits.addObject()
                        .put("type", "RLIMIT_" + ulimit.name().toUpperCase(Locale.ROOT))
                        .put("soft", ulimit.soft())
                        .put("hard", ulimit.hard());
            }
        }
        // docker does not set no_new_privs: setuid programs such as su work in its containers.
        process.put("noNewPrivileges", false);
    }

    /**
     * {@code --privileged}, as docker does it: every device allowed, no seccomp filter, nothing
     * masked or read-only in /proc, and /sys and its cgroup mount writable.
     */
    private static void privileged(ObjectNode spec, ObjectNode linux) {
        ArrayNode devices = linux.withObjectProperty("resources").putArray("devices");
        devices.addObject().put("allow", true).put("access", "rwm");
        linux.remove("seccomp");
        linux.putArray("maskedPaths");
        linux.putArray("readonlyPaths");
        for (JsonNode mount : spec.withArrayProperty("mounts")) {
            String destination = mount.path("destination").asString();
            if (destination.equals("/sys") || destination.equals("/sys/fs/cgroup")) {
                ((ObjectNode) mount)
                        .putArray("options")
                        .add("nosuid")
                        .add("noexec")
                        .add("nodev")
                        .add("rw");
            }
        }
    }

    /** The run's cgroup limits ({@link CgroupResources}) after the device list. */
    private static void resources(ObjectNode resources, RunConfig run) {
        devices(resources.putArray("devices"));
        resources.setAll(CgroupResources.json(run.resources(), run.limitSwap()));
    }

    /**
     * The device cgroup's list: deny all. The runtime then allows the devices every container
     * has (null, zero, full, random, urandom, tty, console, ptmx and the pts terminals), as
     * runc's libcontainer does for its default devices.
     */
    private static void devices(ArrayNode rules) {
        rules.addObject().put("allow", false).put("access", "rwm");
    }

    private static void stringArray(ObjectNode parent, String name, List<String> values) {
        ArrayNode array = parent.putArray(name);
        values.forEach(array::add);
    }
}
