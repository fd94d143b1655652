package dev.canal.runtime.container;

import dev.canal.runtime.sys.OwnedFd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a container's process has opened its terminal: its standard input
 * ({@code /proc/PID/fd/0}, proc(5)) has the console's path and lives on the devpts instance
 * the master came from. The path alone is not enough. Until the process opens the console, its
 * standard input is still the one it inherited from the caller, and a caller's terminal can
 * have the very same name in the host's instance: the host's first pty is /dev/pts/0 too. Taken
 * for the console, it let the master be handed out while nobody had its peer open, and a first
 * read then said EIO (pty(7)): a short {@code run -t} lost its output.
 */
final class ConsoleOpened {

    private ConsoleOpened() {}

    /** True once process {@code pid} has {@code console}, the peer of {@code master}, as its standard input. */
    static boolean by(int pid, String console, OwnedFd master) {
        Path standardInput = Path.of("/proc/" + pid + "/fd/0");
        Object devpts = deviceOrNull(Path.of("/proc/self/fd/" + master.fd()));
        if (devpts == null) {
            throw new IllegalStateException("cannot stat the terminal's master " + master);
        }
        return console.equals(linkOrNull(standardInput)) && devpts.equals(deviceOrNull(standardInput));
    }

    /**
     * Where a /proc/PID/fd link points, or null while there is no such descriptor (opening the
     * console on 0 closes 0 first: the clone engine's close step, posix_spawn's open action) or
     * no such process.
     */
    private static String linkOrNull(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException closedOrGone) {
            return null;
        }
    }

    /**
     * The file system the file behind a /proc/PID/fd link is on ({@code st_dev}, stat(2) through
     * the link): every file of one devpts instance, its ptmx and its ptys, has the same.
     */
    private static Object deviceOrNull(Path link) {
        try {
            return Files.getAttribute(link, "unix:dev");
        } catch (IOException closedOrGone) {
            return null;
        }
    }
}
