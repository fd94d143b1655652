package dev.canal.runtime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OCI bundle for tests: a busybox rootfs and a config.json that starts from the shape of
 * {@code runc spec} (new pid, mount, uts, ipc and network namespaces; /proc, /dev, /dev/pts,
 * /dev/shm, /dev/mqueue and /sys mounted; runc's masked and read-only paths) and that each test
 * adjusts.
 */
public final class TestBundle {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String BASE = """
            {
              "ociVersion": "1.2.1",
              "process": {
                "user": {"uid": 0, "gid": 0},
                "args": ["sh"],
                "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
                "cwd": "/",
                "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
                "noNewPrivileges": true
              },
              "root": {"path": "rootfs", "readonly": true},
              "hostname": "canal-test",
              "mounts": [
                {"destination": "/proc", "type": "proc", "source": "proc"},
                {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
                {"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
                {"destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
                {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid", "noexec", "nodev"]},
                {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]},
                {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "mode=1777"]}
              ],
              "linux": {
                "namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}],
                "maskedPaths": ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                  "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"],
                "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
              }
            }
            """;

    private final Path directory;
    private final ObjectNode config;

    private TestBundle(Path directory) {
        this.directory = directory;
        this.config = (ObjectNode) JSON.readTree(BASE);
    }

    /** A bundle in {@code directory} with a fresh busybox rootfs. */
    public static TestBundle create(Path directory) throws IOException, InterruptedException {
        BusyboxRootfs.create(directory.resolve("rootfs"));
        return new TestBundle(directory);
    }

    public Path directory() {
        return directory;
    }

    /** The program and its arguments. */
    public TestBundle args(String... args) {
        ArrayNode array = process().putArray("args");
        for (String arg : args) {
            array.add(arg);
        }
        return this;
    }

    /** A {@code sh -c SCRIPT} process. */
    public TestBundle shell(String script) {
        return args("sh", "-c", script);
    }

    /** Any other change to the config. */
    public TestBundle edit(Consumer<ObjectNode> change) {
        change.accept(config);
        return this;
    }

    public ObjectNode process() {
        return (ObjectNode) config.get("process");
    }

    public ObjectNode linux() {
        return (ObjectNode) config.get("linux");
    }

    /** Adds a namespace entry; with a path, one to join. */
    public TestBundle namespace(String type) {
        ((ArrayNode) linux().get("namespaces")).addObject().put("type", type);
        return this;
    }

    /** Removes the namespaces of {@code types}. */
    public TestBundle withoutNamespaces(String... types) {
        ArrayNode kept = JSON.createArrayNode();
        for (JsonNode namespace : linux().get("namespaces")) {
            if (!List.of(types).contains(namespace.get("type").asString())) {
                kept.add(namespace);
            }
        }
        linux().set("namespaces", kept);
        return this;
    }

    /** Writes config.json and returns the bundle directory. */
    public Path write() throws IOException {
        Files.writeString(
                directory.resolve("config.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
        return directory;
    }
}
