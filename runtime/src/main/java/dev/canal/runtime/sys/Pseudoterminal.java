package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import dev.canal.bindings.linux.winsize;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A pseudoterminal pair (pty(7)): the master, which the caller reads the program's output from
 * and writes its input to, and the peer (the "slave"), which becomes the program's terminal.
 * Every call is an ioctl(2) on the master, made raw (ioctl_tty(2)).
 */
public final class Pseudoterminal {

    /** The two ends; closing the pair closes both. */
    public record Pair(OwnedFd master, OwnedFd peer) implements AutoCloseable {
        @Override
        public void close() {
            master.close();
            peer.close();
        }
    }

    private Pseudoterminal() {}

    /**
     * Opens a new pair from the {@code ptmx} of a devpts instance: {@code ptmx} is a path to it
     * (a /proc/self/fd link will do), and the pair belongs to that instance, so its peer shows
     * as /dev/pts/N where that instance is mounted. Both ends are close-on-exec and neither
     * becomes this process's controlling terminal (O_NOCTTY).
     */
    public static Pair open(String ptmx) {
        OwnedFd master = OwnedFd.open(ptmx, linux_h.O_RDWR() | linux_h.O_NOCTTY() | linux_h.O_CLOEXEC(), 0);
        try {
            requirePtmx(master, ptmx);
        } catch (RuntimeException e) {
            master.close();
            throw e;
        }
        return fromMaster(master);
    }

    /**
     * Opens a new pair from the ptmx at {@code path} under {@code root}, a directory someone
     * else controls (a container's /proc/PID/root): openat2(2) resolves it as if {@code root}
     * were / ({@code RESOLVE_IN_ROOT}) and through no symlink at all ({@code RESOLVE_NO_SYMLINKS},
     * which also refuses /proc magic links). Resolved from the host instead, a symlink's absolute
     * target would be the host's file, opened read-write and sent ioctls. A devpts instance's
     * ptmx needs no symlink, so refusing them all costs nothing. What is found is first held
     * with {@code O_PATH}, which opens nothing, and only a ptmx is then opened for real: opening
     * some other device could already do something (a serial line raises its modem lines).
     */
    public static Pair openInRoot(OwnedFd root, String path) {
        OwnedFd master;
        try (var found = PathAt.openat2(
                root,
                path,
                linux_h.O_PATH(),
                linux_h.RESOLVE_IN_ROOT() | linux_h.RESOLVE_NO_SYMLINKS() | linux_h.RESOLVE_NO_MAGICLINKS())) {
            requirePtmx(found, path);
            // Through the descriptor's own /proc link: exactly the file checked, opened anew.
            master = OwnedFd.open("/proc/thread-self/fd/" + found.fd(), linux_h.O_RDWR() | linux_h.O_NOCTTY(), 0);
        }
        return fromMaster(master);
    }

    /** The ptmx character device: major 5, minor 2 (devices.txt); every devpts instance's ptmx is too. */
    private static final long PTMX_MAJOR = 5;

    private static final long PTMX_MINOR = 2;

    private static void requirePtmx(OwnedFd file, String path) {
        FileStatus status = FileStatus.of(file);
        if (!status.isCharacterDevice() || status.major() != PTMX_MAJOR || status.minor() != PTMX_MINOR) {
            throw new IllegalArgumentException(path + ": not a pseudoterminal multiplexer (character special file "
                    + PTMX_MAJOR + ":" + PTMX_MINOR + ") but a " + status.typeName());
        }
    }

    /** Unlocks the peer of a checked ptmx {@code master} and opens it. */
    private static Pair fromMaster(OwnedFd master) {
        try (var arena = Arena.ofConfined()) {
            // unlockpt(3): a new peer is locked until the master clears TIOCSPTLCK.
            MemorySegment unlocked = arena.allocateFrom(ValueLayout.JAVA_INT, 0);
            Syscall.call(
                    "ioctl", "TIOCSPTLCK", linux_h.SYS_ioctl(), master.fd(), linux_h.TIOCSPTLCK(), unlocked.address());
            // TIOCGPTPEER (Linux 4.13) opens the peer from the master itself, with no path lookup
            // that a process in the container could redirect.
            long peer = Syscall.call(
                    "ioctl",
                    "TIOCGPTPEER",
                    linux_h.SYS_ioctl(),
                    master.fd(),
                    linux_h.TIOCGPTPEER(),
                    linux_h.O_RDWR() | linux_h.O_NOCTTY() | linux_h.O_CLOEXEC());
            return new Pair(master, OwnedFd.adopt((int) peer));
        } catch (RuntimeException e) {
            master.close();
            throw e;
        }
    }

    /**
     * TIOCGPTN: the number N of the peer, which shows as /dev/pts/N where its devpts instance is
     * mounted (pts(4)).
     */
    public static int peerNumber(OwnedFd master) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment number = arena.allocate(ValueLayout.JAVA_INT);
            Syscall.call("ioctl", "TIOCGPTN", linux_h.SYS_ioctl(), master.fd(), linux_h.TIOCGPTN(), number.address());
            return number.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** TIOCSWINSZ: the size programs read with TIOCGWINSZ, in characters. */
    public static void setWindowSize(OwnedFd terminal, int rows, int columns) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(winsize.layout());
            winsize.ws_row(size, (short) rows);
            winsize.ws_col(size, (short) columns);
            Syscall.call(
                    "ioctl", "TIOCSWINSZ", linux_h.SYS_ioctl(), terminal.fd(), linux_h.TIOCSWINSZ(), size.address());
        }
    }
}
