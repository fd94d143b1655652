package dev.canal.runtime.oci;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The starting config.json that {@code runc spec} writes, for {@code canal-oci spec}, with a
 * seccomp profile added: run
 * {@code sh} as root in ./rootfs, read-only, in new pid, network, ipc, uts, mount and cgroup
 * namespaces, with three capabilities and no new privileges.
 *
 * <p>The values are runc's (libcontainer/specconv/example.go), apart from the hostname. Why they
 * are what they are: the capabilities are the few a shell needs (send signals, bind low ports,
 * write audit records), every other one dropped; /dev is a small tmpfs so that only the devices
 * the runtime creates exist; the masked paths (/proc/kcore, /proc/keys, /sys/firmware, ...) would
 * show the host's memory, keys or firmware, and the read-only ones (/proc/sys,
 * /proc/sysrq-trigger, ...) would let the container change the host's kernel. runc adds the
 * cgroup namespace only on a cgroup v2 host; here it is always there.
 */
public final class DefaultSpec {

    private static final String RUNC_EXAMPLE = """
            {
              "ociVersion": "1.2.1",
              "process": {
                "terminal": true,
                "user": {"uid": 0, "gid": 0},
                "args": ["sh"],
                "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
                "cwd": "/",
                "capabilities": {
                  "bounding": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
                  "effective": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
                  "permitted": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
                },
                "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
                "noNewPrivileges": true
              },
              "root": {"path": "rootfs", "readonly": true},
              "hostname": "canal",
              "mounts": [
                {"destination": "/proc", "type": "proc", "source": "proc"},
                {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
                 "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
                {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
                 "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
                {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
                 "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
                {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid", "noexec", "nodev"]},
                {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]},
                {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
                 "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]}
              ],
              "linux": {
                "resources": {"devices": [{"allow": false, "access": "rwm"}]},
                "namespaces": [
                  {"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}, {"type": "cgroup"}
                ],
                "maskedPaths": [
                  "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                  "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi", "/sys/devices/virtual/tpm"
                ],
                "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
              }
            }
            """;

    private DefaultSpec() {}

    /**
     * What {@code runc spec} writes, with the process on a terminal or not, plus Canal's default
     * seccomp profile ({@link DefaultSeccompProfile}), which runc's example leaves out.
     */
    public static Spec create(boolean terminal) {
        return toSpec(tree(terminal));
    }

    /**
     * {@link #create}'s config as a JSON tree, for the engine, which adds a container's settings
     * to it and writes config.json: made without binding it to the records and back (Jackson's
     * introspection of every record of the spec, a seventh of a {@code canal run} on a 2-core
     * machine: docs/start-time.md); the runtime checks the file when it reads it.
     */
    public static ObjectNode tree(boolean terminal) {
        ObjectNode spec = runcExample(terminal);
        // Through text: the writer of 64-bit unsigned values (Uint64) cannot write into a tree.
        String seccomp = SpecJson.MAPPER.writeValueAsString(DefaultSeccompProfile.create());
        spec.withObjectProperty("linux").set("seccomp", SpecJson.MAPPER.readTree(seccomp));
        return spec;
    }

    /**
     * What {@code runc spec --rootless} writes, for an unprivileged user whose effective ids on
     * the host are {@code hostUid} and {@code hostGid}: that user becomes root in a new user
     * namespace, and what such a root cannot do is changed or left out.
     */
    public static Spec rootless(boolean terminal, long hostUid, long hostGid) {
        ObjectNode spec = runcExample(terminal);
        ObjectNode linux = spec.withObjectProperty("linux");
        // A new user namespace grants the capabilities the other namespaces need. Without
        // privileges on the host a new network namespace could not be connected, so the host's is kept.
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String type : List.of("pid", "ipc", "uts", "mount", "cgroup", "user")) {
            namespaces.addObject().put("type", type);
        }
        // Without newuidmap(1) a user can map only its own ids (user_namespaces(7)).
        linux.set("uidMappings", mapRootTo(hostUid));
        linux.set("gidMappings", mapRootTo(hostGid));
        // Setting cgroup limits needs write access to the host's cgroups.
        linux.remove("resources");
        for (JsonNode mount : spec.withArrayProperty("mounts")) {
            adaptMountForRootless((ObjectNode) mount);
        }
        return toSpec(spec);
    }

    /** The edited example read as any config is, by {@link SpecReader}. */
    private static Spec toSpec(ObjectNode spec) {
        return SpecReader.parse(SpecJson.MAPPER.writeValueAsString(spec), "the default spec");
    }

    private static ObjectNode runcExample(boolean terminal) {
        ObjectNode spec = (ObjectNode) SpecJson.MAPPER.readTree(RUNC_EXAMPLE);
        spec.withObjectProperty("process").put("terminal", terminal);
        return spec;
    }

    private static ArrayNode mapRootTo(long hostId) {
        ArrayNode mappings = SpecJson.MAPPER.createArrayNode();
        mappings.addObject().put("containerID", 0).put("hostID", hostId).put("size", 1);
        return mappings;
    }

    /**
     * sysfs can be mounted only by the owner of the network namespace, here the host's, so the
     * host's /sys is bound instead; and uid= and gid= options would name ids that are not mapped.
     */
    private static void adaptMountForRootless(ObjectNode mount) {
        if (mount.get("destination").asString().equals("/sys")) {
            mount.put("type", "none").put("source", "/sys");
            ArrayNode options = mount.putArray("options");
            List.of("rbind", "nosuid", "noexec", "nodev", "ro").forEach(options::add);
        } else if (mount.has("options")) {
            mount.withArrayProperty("options")
                    .removeIf(option -> option.asString().matches("[ug]id=.*"));
        }
    }
}
