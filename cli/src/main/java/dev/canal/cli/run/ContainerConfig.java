package dev.canal.cli.run;

import dev.canal.runtime.oci.DefaultSpec;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The config.json of a {@code canal run} container: runc's default spec with Canal's seccomp
 * profile ({@link DefaultSpec}), changed to what docker gives a container (moby's
 * oci/defaults.go): its 14 default capabilities, a writable root, no rlimits of its own (the
 * caller's are inherited), setuid programs allowed; then the run's own settings.
 */
final class ContainerConfig {

    /** docker's default capability set: enough for a package manager and a shell, none to administer the host. */
    static final List<String> DOCKER_CAPABILITIES = List.of(
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

    /** docker's --cpus period: 100 ms, in microseconds. */
    static final long CPU_PERIOD = 100_000;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ContainerConfig() {}

    /** config.json's text for {@code run}. */
    static String json(RunConfig run) {
        ObjectNode spec =
                (ObjectNode) JSON.readTree(DefaultSpec.create(run.terminal()).toJson());
        spec.put("hostname", run.hostname());
        spec.putObject("root").put("path", run.rootfs()).put("readonly", false);
        process(spec.withObjectProperty("process"), run);
        ArrayNode mounts = spec.withArrayProperty("mounts");
        for (Volume volume : run.volumes()) {
            ObjectNode mount = mounts.addObject()
                    .put("destination", volume.container())
                    .put("type", "bind")
                    .put("source", volume.host().toString());
            volume.options().forEach(mount.putArray("options")::add);
        }
        ObjectNode linux = spec.withObjectProperty("linux");
        resources(linux.withObjectProperty("resources"), run);
        if (run.hostNetwork()) {
            // --network host: the container stays in canal's network namespace (namespaces(7)).
            ArrayNode namespaces = linux.withArrayProperty("namespaces");
            for (int i = namespaces.size() - 1; i >= 0; i--) {
                if (namespaces.get(i).path("type").asString().equals("network")) {
                    namespaces.remove(i);
                }
            }
        }
        return JSON.writeValueAsString(spec);
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
            stringArray(capabilities, set, DOCKER_CAPABILITIES);
        }
        process.remove("rlimits");
        process.put("noNewPrivileges", false);
    }

    /**
     * {@code -m}: the memory limit, and memory plus swap at twice that when the host accounts
     * swap, as docker does when --memory-swap is not given (moby's adaptContainerSettings).
     * {@code --cpus N}: N periods of CPU time per period. {@code --pids-limit}.
     */
    private static void resources(ObjectNode resources, RunConfig run) {
        devices(resources.putArray("devices"));
        if (run.memory() > 0) {
            ObjectNode memory = resources.putObject("memory").put("limit", run.memory());
            if (run.limitSwap()) {
                memory.put("swap", 2 * run.memory());
            }
        }
        if (run.cpuQuota() > 0) {
            resources.putObject("cpu").put("quota", run.cpuQuota()).put("period", CPU_PERIOD);
        }
        if (run.pidsLimit() > 0) {
            resources.putObject("pids").put("limit", run.pidsLimit());
        }
    }

    /**
     * The device cgroup's list: deny all, then the devices every container has (null, zero,
     * full, random, urandom, tty, console, ptmx and the pts terminals), and mknod of any node,
     * which is harmless while access is denied: moby's DefaultLinuxSpec and WithDevices.
     */
    private static void devices(ArrayNode rules) {
        rules.addObject().put("allow", false).put("access", "rwm");
        rules.addObject().put("allow", true).put("type", "c").put("access", "m");
        rules.addObject().put("allow", true).put("type", "b").put("access", "m");
        for (long[] device : new long[][] {{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}, {5, 1}, {5, 2}}) {
            rules.addObject()
                    .put("allow", true)
                    .put("type", "c")
                    .put("major", device[0])
                    .put("minor", device[1])
                    .put("access", "rwm");
        }
        rules.addObject().put("allow", true).put("type", "c").put("major", 136).put("access", "rwm");
    }

    private static void stringArray(ObjectNode parent, String name, List<String> values) {
        ArrayNode array = parent.putArray(name);
        values.forEach(array::add);
    }
}
