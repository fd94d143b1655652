package dev.canal.runtime.spawn;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.Backoff;
import dev.canal.runtime.sys.Mounts;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.PathAt;
import dev.canal.runtime.sys.SyscallException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The FIFO that holds a container's process before execve(2), like runc's {@code exec.fifo}
 * (here with the roles reversed: the process reads, {@code start} writes).
 *
 * <p>Opening a FIFO for reading blocks until some process opens it for writing (fifo(7)). The
 * process's last step before execve(2) is exactly that open, so it waits there, fully set up,
 * for as long as needed, also after the process that created it has exited. Releasing it opens
 * the FIFO for writing with {@code O_NONBLOCK}: that succeeds only if a reader is waiting
 * (otherwise ENXIO).
 *
 * <p>Where the FIFO lives matters, because a held process can be seen from inside a container:
 * a container joined to its pid namespace, or the container itself during {@code exec}. What it
 * shows there, {@code /proc/PID/cwd} and {@code /proc/PID/fd/N}, must lead to nothing of the
 * host: a FIFO in the host's state directory, reached through a working directory or a
 * descriptor there, would hand out that directory, and its {@code ..} the host's whole tree.
 * So the FIFOs live in a small tmpfs of their own that is mounted nowhere: fsopen(2) and
 * fsmount(2) return a detached mount, known only by its descriptor. The process is born with that
 * tmpfs's root as its working directory (the spawning thread changed into it first; there
 * {@code ..} leads back to the same root: path_resolution(7)), holds no other descriptor, and
 * opens the FIFO by its name. The
 * tmpfs disappears with the last process or descriptor that refers to it; there is nothing to
 * clean up. Whoever releases the process reaches the FIFO through the held process's own
 * working directory ({@link #release}).
 */
public final class ExecFifo implements AutoCloseable {

    /** The FIFO the process waits on before it execs. */
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

    private final OwnedFd directory;

    private ExecFifo(OwnedFd directory) {
        this.directory = directory;
    }

    /**
     * A new detached tmpfs holding {@link #NAME}, and {@link #CONSOLE_NAME} too when
     * {@code console} is set. Its root is mode 0711 and the FIFOs 0644: the process, whatever
     * its uid, may enter it and open a FIFO for reading; only root may release it.
     */
    public static ExecFifo create(boolean console) {
        OwnedFd directory;
        try (var context = Mounts.fsopen("tmpfs")) {
            Mounts.fsconfigString(context, "mode", "0711");
            Mounts.fsconfigString(context, "size", "4k");
            Mounts.fsconfigCreate(context);
            directory = Mounts.fsmount(
                    context, linux_h.MOUNT_ATTR_NOSUID() | linux_h.MOUNT_ATTR_NODEV() | linux_h.MOUNT_ATTR_NOEXEC());
        }
        var fifo = new ExecFifo(directory);
        try {
            fifo.makeFifo(NAME);
            if (console) {
                fifo.makeFifo(CONSOLE_NAME);
            }
            return fifo;
        } catch (RuntimeException e) {
            fifo.close();
            throw e;
        }
    }

    /**
     * The tmpfs's root. The thread that creates the process changes into it (fchdir(2)), so the
     * process is born with it as its working directory and opens the FIFOs by name.
     */
    public OwnedFd directory() {
        return directory;
    }

    /**
     * Releases the held process {@code pid} from FIFO {@code name}, waiting up to
     * {@code timeout} for it to get there. The FIFO is reached through the process's own working
     * directory, the tmpfs it was born in ({@code /proc/PID/cwd}, proc(5)), so any process of
     * the host's root may release it: the JVM that created it, or a later {@code start}. The
     * caller has checked that {@code pid} is still the container's process.
     *
     * @return false if {@code gone} said the process ended before it got there
     */
    public static boolean release(int pid, String name, Duration timeout, BooleanSupplier gone) {
        String path = "/proc/" + pid + "/cwd/" + name;
        var backoff = Backoff.until(timeout);
        while (!released(path)) {
            // Not at the FIFO yet (its setup is still running), or gone.
            if (gone.getAsBoolean()) {
                return false;
            }
            if (!backoff.pause()) {
                throw new IllegalStateException(
                        "the container's process did not reach its " + name + " within " + timeout);
            }
        }
        return true;
    }

    /**
     * Opens the FIFO's writing end without blocking and closes it at once: true if a reader was
     * waiting, false if none is yet (ENXIO) or the process is not in its tmpfs (ENOENT: gone, its
     * pid taken by another).
     */
    private static boolean released(String path) {
        try (var writer = OwnedFd.open(path, linux_h.O_WRONLY() | linux_h.O_NONBLOCK(), 0)) {
            return true;
        } catch (SyscallException e) {
            if (e.errno() == linux_h.ENXIO() || e.errno() == linux_h.ENOENT()) {
                return false;
            }
            throw e;
        }
    }

    /** mknod(2) applies the JVM's umask: the mode is set again afterwards, through an O_PATH descriptor. */
    private void makeFifo(String name) {
        PathAt.mknod(directory, name, linux_h.S_IFIFO() | 0644, 0);
        try (var fifo = PathAt.openat2(directory, name, linux_h.O_PATH(), linux_h.RESOLVE_BENEATH())) {
            PathAt.chmod(fifo, 0644);
        }
    }

    @Override
    public void close() {
        directory.close();
    }
}
