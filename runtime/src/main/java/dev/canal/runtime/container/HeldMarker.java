package dev.canal.runtime.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The empty file in a container's state directory that says its first process is still held
 * before execve(2): made by {@code create}, removed by {@code start}. With the process alive,
 * it is what {@code state} reports as "created" (runc looks for its exec FIFO, which Canal keeps
 * out of the state directory: see {@link dev.canal.runtime.spawn.ExecFifo}).
 */
final class HeldMarker {

    static final String NAME = "held";

    private HeldMarker() {}

    static void set(Path stateDirectory) {
        try {
            Files.createFile(stateDirectory.resolve(NAME));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isSet(Path stateDirectory) {
        return Files.exists(stateDirectory.resolve(NAME));
    }

    static void clear(Path stateDirectory) {
        try {
            Files.deleteIfExists(stateDirectory.resolve(NAME));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
