package dev.canal.runtime.spawn;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.Backoff;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.PathAt;
import dev.canal.runtime.sys.SyscallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * The FIFO that holds a container's first process between {@code create} and {@code start},
 * like runc's {@code exec.fifo} (here with the roles reversed: the process reads, {@code start}
 * writes).
 *
 * <p>Opening a FIFO for reading blocks until some process opens it for writing (fifo(7)). The
 * first process's last step before execve(2) is exactly that open, so it waits there, fully set
 * up, for as long as needed, also after the process that created it has exited. {@code start}
 * opens the FIFO for writing with {@code O_NONBLOCK}: that succeeds only if a reader is waiting
 * (otherwise ENXIO), and releases it. The FIFO lives in the host's state directory, never in
 * the container.
 */
public final class ExecFifo {

    /** The FIFO's name in a container's state directory. */
    public static final String NAME = "exec.fifo";

    /**
     * A second FIFO, for a process with a terminal ({@code process.terminal}): it waits here
     * until the rootfs (and the terminal's peer on /dev/console) is ready, then opens the
     * console, and only then waits on {@link #NAME}. So from {@code create} on, the process
     * holds the terminal's peer open: whoever got the master (conmon through
     * {@code --console-socket}) can read it without EIO, which a master whose peer nobody has
     * open returns (pty(7)), as with runc, whose init opens the console before it waits.
     */
    public static final String CONSOLE_NAME = "console.fifo";

    private ExecFifo() {}

    /**
     * Creates the FIFO in {@code stateDirectory}. Mode 0644: the process, whatever its uid, may
     * open it for reading; only root may release it.
     */
    public static void create(Path stateDirectory) {
        create(stateDirectory, NAME);
    }

    /** Creates the FIFO {@code name} ({@link #NAME} or {@link #CONSOLE_NAME}) in {@code stateDirectory}. */
    public static void create(Path stateDirectory, String name) {
        try (var directory = OwnedFd.open(stateDirectory.toString(), linux_h.O_PATH() | linux_h.O_DIRECTORY(), 0)) {
            PathAt.mknod(directory, name, linux_h.S_IFIFO() | 0644, 0);
        }
        try {
            // mknod(2) applies the umask, which belongs to the whole JVM: set the mode afterwards.
            Files.setPosixFilePermissions(stateDirectory.resolve(name), PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Releases a process waiting on the FIFO in {@code stateDirectory}.
     *
     * @return false if no process is waiting (ENXIO): it has not reached the FIFO yet, or it is
     *         gone
     */
    public static boolean release(Path stateDirectory) {
        return release(stateDirectory, NAME);
    }

    /** {@link #release(Path)} for the FIFO {@code name}. */
    public static boolean release(Path stateDirectory, String name) {
        try (var writer =
                OwnedFd.open(stateDirectory.resolve(name).toString(), linux_h.O_WRONLY() | linux_h.O_NONBLOCK(), 0)) {
            return true;
        } catch (SyscallException e) {
            if (e.errno() == linux_h.ENXIO()) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Releases the process waiting on FIFO {@code name}, waiting up to {@code timeout} for it to
     * get there, then removes the FIFO.
     */
    public static void awaitAndRelease(Path stateDirectory, String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        var backoff = new Backoff();
        while (!release(stateDirectory, name)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the container's process did not reach " + name + " within " + timeout);
            }
            backoff.pause();
        }
        try {
            Files.delete(stateDirectory.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
