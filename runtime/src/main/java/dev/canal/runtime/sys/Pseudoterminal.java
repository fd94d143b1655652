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
