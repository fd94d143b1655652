package dev.canal.runtime.container;

import dev.canal.runtime.sys.OwnerOnly;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The config.json a container was created from, as create read and validated it, kept in its
 * state directory (owner-only: its environment may hold secrets). {@code start} and {@code exec}
 * read it there rather than from the bundle: the runtime-spec says a change to the bundle's
 * config.json after create must not affect the container (runtime.md#create), and runc keeps its
 * own copy in its state for the same reason.
 */
final class SavedConfig {

    static final String NAME = "config.json";

    private SavedConfig() {}

    static void write(Path stateDirectory, byte[] json) {
        OwnerOnly.write(stateDirectory.resolve(NAME), json);
    }

    /** The saved copy; for a container created before copies were kept, the bundle's own. */
    static Path of(Path stateDirectory, Path bundle) {
        Path saved = stateDirectory.resolve(NAME);
        return Files.exists(saved) ? saved : bundle.resolve(NAME);
    }
}
