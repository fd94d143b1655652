package dev.canal.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What any local user, here nobody (65534) with no groups, can see of the files Canal writes as root. */
final class Nobody {

    private Nobody() {}

    /** {@code cat FILE} as nobody. */
    static CanalHome.Result cat(Path file) throws IOException, InterruptedException {
        return run("cat", file.toString());
    }

    /** {@code command} as nobody, through setpriv(1), which drops root for good before it runs the command. */
    static CanalHome.Result run(String... command) throws IOException, InterruptedException {
        var asNobody = new ArrayList<>(List.of("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"));
        asNobody.addAll(List.of(command));
        return CanalHome.run(asNobody, Map.of(), 60);
    }

    /** The permission bits of {@code path} in octal (stat(2) st_mode & 07777), which nobody is checked against. */
    static String mode(Path path) throws IOException {
        return Integer.toOctalString((int) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777);
    }

    /** Opens {@code directory} to everyone (0755), as a test's own temporary directory is not, so only Canal's modes decide. */
    static void openToAll(Path directory) throws IOException {
        Files.setPosixFilePermissions(directory, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
