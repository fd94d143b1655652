package dev.canal.runtime.container;

import dev.canal.runtime.sys.OwnerOnly;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * What Canal remembers about a container between commands, in {@code state.json} of its state
 * directory. The status is not stored: it is worked out from the process each time it is asked
 * for, so it cannot go stale when the container exits while nobody is watching.
 *
 * @param pidStartTime when the process started, in clock ticks since boot (proc(5),
 *                     /proc/PID/stat field 22): with the pid it identifies the process even
 *                     after the pid has been reused
 * @param engine       the engine that created the first process
 * @param cgroupPath   the container's cgroup, from the cgroup root ({@code /canal/ID})
 */
record StoredState(
        String id,
        int pid,
        long pidStartTime,
        String bundle,
        String rootfs,
        String created,
        Map<String, String> annotations,
        String engine,
        String cgroupPath) {

    static final String FILE = "state.json";
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Field by field, as a record's own equals compares: written out because the generated one is
     * linked through invokedynamic ({@code java.lang.runtime.ObjectMethods}), which the AOT cache
     * does not keep, so every {@code kill} and {@code delete} spun 11 method handle forms for the
     * comparison in {@link StateLock} (docs/start-time.md).
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof StoredState that
                && pid == that.pid
                && pidStartTime == that.pidStartTime
                && Objects.equals(id, that.id)
                && Objects.equals(bundle, that.bundle)
                && Objects.equals(rootfs, that.rootfs)
                && Objects.equals(created, that.created)
                && Objects.equals(annotations, that.annotations)
                && Objects.equals(engine, that.engine)
                && Objects.equals(cgroupPath, that.cgroupPath);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, pid, pidStartTime, bundle, rootfs, created, annotations, engine, cgroupPath);
    }

    /** Writes atomically, a reader never sees half a file, and owner-only (0600), as runc's state.json. */
    void write(Path stateDirectory) {
        OwnerOnly.write(stateDirectory.resolve(FILE), toJson());
    }

    /** The state in {@code stateDirectory}, or null when it has none (yet). */
    static StoredState readIfPresent(Path stateDirectory) {
        return Files.exists(stateDirectory.resolve(FILE)) ? read(stateDirectory) : null;
    }

    static StoredState read(Path stateDirectory) {
        try {
            return fromJson(Files.readAllBytes(stateDirectory.resolve(FILE)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] toJson() {
        var bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), bytes)) {
            json.writeStartObject();
            json.writeStringProperty("id", id);
            json.writeNumberProperty("pid", pid);
            json.writeNumberProperty("pidStartTime", pidStartTime);
            json.writeStringProperty("bundle", bundle);
            json.writeStringProperty("rootfs", rootfs);
            json.writeStringProperty("created", created);
            AnnotationsJson.write(json, annotations);
            json.writeStringProperty("engine", engine);
            json.writeStringProperty("cgroupPath", cgroupPath);
            json.writeEndObject();
        }
        return bytes.toByteArray();
    }

    /** The state in {@code json}; fields it does not know are skipped, missing ones are null or 0. */
    static StoredState fromJson(byte[] json) {
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), json)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT);
            String id = null;
            int pid = 0;
            long pidStartTime = 0;
            String bundle = null;
            String rootfs = null;
            String created = null;
            Map<String, String> annotations = null;
            String engine = null;
            String cgroupPath = null;
            for (String name = parser.nextName(); name != null; name = parser.nextName()) {
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "id" -> id = parser.getValueAsString();
                    case "pid" -> pid = parser.getIntValue();
                    case "pidStartTime" -> pidStartTime = parser.getLongValue();
                    case "bundle" -> bundle = parser.getValueAsString();
                    case "rootfs" -> rootfs = parser.getValueAsString();
                    case "created" -> created = parser.getValueAsString();
                    case "annotations" -> annotations = value == JsonToken.VALUE_NULL ? null : strings(parser);
                    case "engine" -> engine = parser.getValueAsString();
                    case "cgroupPath" -> cgroupPath = parser.getValueAsString();
                    default -> parser.skipChildren();
                }
            }
            return new StoredState(id, pid, pidStartTime, bundle, rootfs, created, annotations, engine, cgroupPath);
        }
    }

    /** A JSON object of strings, in the file's order. */
    private static Map<String, String> strings(JsonParser parser) {
        expect(parser.currentToken(), JsonToken.START_OBJECT);
        var map = new LinkedHashMap<String, String>();
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
            parser.nextToken();
            map.put(name, parser.getValueAsString());
        }
        return map;
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("expected " + expected + ", found " + actual);
        }
    }
}
