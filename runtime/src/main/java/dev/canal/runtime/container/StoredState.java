package dev.canal.runtime.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

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
record StoredState(String id, int pid, long pidStartTime, String bundle, String rootfs, String created,
        Map<String, String> annotations, String engine, String cgroupPath) {

    static final String FILE = "state.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Writes atomically: a reader never sees half a file. */
    void write(Path stateDirectory) {
        Path temporary = stateDirectory.resolve(FILE + ".tmp");
        try {
            Files.write(temporary, JSON.writeValueAsBytes(this));
            Files.move(temporary, stateDirectory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The state in {@code stateDirectory}, or null when it has none (yet). */
    static StoredState readIfPresent(Path stateDirectory) {
        return Files.exists(stateDirectory.resolve(FILE)) ? read(stateDirectory) : null;
    }

    static StoredState read(Path stateDirectory) {
        try {
            return JSON.readValue(Files.readAllBytes(stateDirectory.resolve(FILE)), StoredState.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
