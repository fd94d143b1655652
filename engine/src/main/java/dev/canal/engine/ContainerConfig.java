package dev.canal.engine;

import dev.canal.runtime.oci.DefaultSpec;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

public final class ContainerConfig {
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
    public static final long CPU_PERIOD = 100000L;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ObjectNode DEFAULT =
            (ObjectNode) JSON.readTree(DefaultSpec.create(false).toJson());
    private static final ObjectNode DEFAULT_WITH_TERMINAL =
            (ObjectNode) JSON.readTree(DefaultSpec.create(true).toJson());

    private ContainerConfig() {}

    public static String json(RunConfig run) {
        ObjectNode spec = (run.terminal() ? DEFAULT_WITH_TERMINAL : DEFAULT).deepCopy();
        spec.put("hostname", run.hostname());
        spec.putObject("root").put("path", run.rootfs()).put("readonly", run.readOnlyRootfs());
        process(spec.withObjectProperty("process"), run);
        ArrayNode mounts = spec.withArrayProperty("mounts");
        run.tmpfs().forEach((destination, options) -> {
            ObjectNode mountx = mounts.addObject()
                    .put("destination", destination)
                    .put("type", "tmpfs")
                    .put("source", "tmpfs");
            ArrayNode list =
                    mountx.putArray("options").add("nosuid").add("nodev").add("noexec");

            for (String option : options.isEmpty() ? new String[0] : options.split(",")) {
                list.add(option);
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
            removeNamespace(linux, "network");
        }

        if (!run.cgroupNamespace()) {
            removeNamespace(linux, "cgroup");
        }

        return JSON.writeValueAsString(spec);
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

        ObjectNode capabilities = process.putObject("capabilities");

        for (String set : List.of("bounding", "effective", "permitted")) {
            stringArray(capabilities, set, run.capabilities());
        }

        process.remove("rlimits");
        if (!run.ulimits().isEmpty()) {
            ArrayNode rlimits = process.putArray("rlimits");

            for (ContainerSpec.Ulimit ulimit : run.ulimits()) {
                rlimits.addObject()
                        .put("type", "RLIMIT_" + ulimit.name().toUpperCase(Locale.ROOT))
                        .put("soft", ulimit.soft())
                        .put("hard", ulimit.hard());
            }
        }

        process.put("noNewPrivileges", false);
    }

    private static void privileged(ObjectNode spec, ObjectNode linux) {
        ArrayNode devices = linux.withObjectProperty("resources").putArray("devices");
        devices.addObject().put("allow", true).put("access", "rwm");
        linux.remove("seccomp");
        linux.putArray("maskedPaths");
        linux.putArray("readonlyPaths");

        for (JsonNode mount : spec.withArrayProperty("mounts")) {
            String destination = mount.path("destination").asString();
            if (destination.equals("/sys") || destination.equals("/sys/fs/cgroup")) {
                ArrayNode options = ((ObjectNode) mount).putArray("options");
                options.add("nosuid").add("noexec").add("nodev").add("rw");
            }
        }
    }

    private static void resources(ObjectNode resources, RunConfig run) {
        devices(resources.putArray("devices"));
        if (run.memory() > 0L) {
            ObjectNode memory = resources.putObject("memory").put("limit", run.memory());
            if (run.limitSwap()) {
                memory.put("swap", 2L * run.memory());
            }
        }

        if (run.cpuQuota() > 0L) {
            resources.putObject("cpu").put("quota", run.cpuQuota()).put("period", 100000L);
        }

        if (run.pidsLimit() > 0L) {
            resources.putObject("pids").put("limit", run.pidsLimit());
        }
    }

    private static void devices(ArrayNode rules) {
        rules.addObject().put("allow", false).put("access", "rwm");
    }

    private static void stringArray(ObjectNode parent, String name, List<String> values) {
        ArrayNode array = parent.putArray(name);
        values.forEach(array::add);
    }
}
