package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import dev.canal.bindings.linux.termios;
import dev.canal.bindings.linux.winsize;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The line discipline settings of a terminal the caller sits at (termios(3)), and its size.
 *
 * <p>A terminal normally works in "cooked" mode: the kernel collects a line before a program
 * reads it, echoes what is typed, and turns Ctrl-C into SIGINT. When a container has a terminal
 * of its own, the container's terminal must do all that, so the caller's terminal is switched
 * to raw mode (cfmakeraw(3)): every byte passes through untouched. The saved settings are put
 * back afterwards, or the user's shell is left without echo.
 */
public final class TerminalModes {

    // libc, not syscall(2): glibc's struct termios (NCCS 32, with the speeds) is not the kernel's
    // (NCCS 19), and tcgetattr and tcsetattr translate between them around the TCGETS/TCSETS ioctls.
    /** {@code int tcgetattr(int fd, struct termios *termios_p)}. */
    private static final MemorySegment TCGETATTR = Downcall.function("tcgetattr");
    /** {@code int tcsetattr(int fd, int optional_actions, const struct termios *termios_p)}. */
    private static final MemorySegment TCSETATTR = Downcall.function("tcsetattr");
    /** {@code void cfmakeraw(struct termios *termios_p)}: only edits glibc's struct in memory; it cannot fail. */
    private static final MemorySegment CFMAKERAW = Downcall.function("cfmakeraw");

    private TerminalModes() {}

    /** The settings of terminal {@code fd}, to give back to {@link #restore}. */
    public record Saved(int fd, byte[] termios) {}

    /** Whether {@code fd} is a terminal: tcgetattr(3) succeeds only on one (isatty(3) does the same). */
    public static boolean isTerminal(int fd) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            return (int) Downcall.call(
                            TCGETATTR,
                            state,
                            fd,
                            arena.allocate(termios.layout()).address())
                    == 0;
        }
    }

    /** Switches terminal {@code fd} to raw mode and returns what it was. */
    public static Saved makeRaw(int fd) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            MemorySegment settings = arena.allocate(termios.layout());
            Downcall.check(
                    (int) Downcall.call(TCGETATTR, state, fd, settings.address()), state, "tcgetattr", "fd " + fd);
            Saved saved = new Saved(fd, settings.toArray(ValueLayout.JAVA_BYTE));
            Downcall.callIgnoringErrno(CFMAKERAW, settings.address());
            // TCSANOW: at once, keeping what was typed ahead; it is for the program about to read.
            Downcall.check(
                    (int) Downcall.call(TCSETATTR, state, fd, linux_h.TCSANOW(), settings.address()),
                    state,
                    "tcsetattr",
                    "fd " + fd);
            return saved;
        }
    }

    /** Puts back the settings {@link #makeRaw} replaced. */
    public static void restore(Saved saved) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            MemorySegment settings = arena.allocateFrom(ValueLayout.JAVA_BYTE, saved.termios());
            // TCSAFLUSH: once the output is written, dropping input the container left unread.
            Downcall.check(
                    (int) Downcall.call(TCSETATTR, state, saved.fd(), linux_h.TCSAFLUSH(), settings.address()),
                    state,
                    "tcsetattr",
                    "fd " + saved.fd());
        }
    }

    /** A terminal's size in characters. */
    public record Size(int rows, int columns) {}

    /** TIOCGWINSZ (ioctl_tty(2)): the size of terminal {@code fd}, as the window around it set it. */
    public static Size size(int fd) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(winsize.layout());
            Syscall.call("ioctl", "TIOCGWINSZ", linux_h.SYS_ioctl(), fd, linux_h.TIOCGWINSZ(), size.address());
            return new Size(Short.toUnsignedInt(winsize.ws_row(size)), Short.toUnsignedInt(winsize.ws_col(size)));
        }
    }
}
