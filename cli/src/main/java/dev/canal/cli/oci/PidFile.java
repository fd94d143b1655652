package dev.canal.cli.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** {@code --pid-file}: the pid, written atomically as runc does, so a reader never sees half of it. */
final class PidFile {

    private PidFile() {}

    static void write(Path file, int pid) throws IOException {
        if (file == null) {
            return;
        }
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temporary, Integer.toString(pid));
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
