package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import dev.canal.bindings.linux.termios;
import dev.canal.bindings.linux.winsize;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

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
    private static final MethodHandle TCGETATTR = Downcall.capturingErrno(
            "tcgetattr", FunctionDescriptor.of(linux_h.C_INT, linux_h.C_INT, linux_h.C_POINTER));
    private static final MethodHandle TCSETATTR = Downcall.capturingErrno(
            "tcsetattr", FunctionDescriptor.of(linux_h.C_INT, linux_h.C_INT, linux_h.C_INT, linux_h.C_POINTER));
    /** cfmakeraw(3) only edits glibc's struct in memory (no system call); it cannot fail. */
    private static final MethodHandle CFMAKERAW = Linker.nativeLinker()
            .downcallHandle(
                    Linker.nativeLinker().defaultLookup().find("cfmakeraw").orElseThrow(),
                    FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));

    private TerminalModes() {}

    /** The settings of terminal {@code fd}, to give back to {@link #restore}. */
    public record Saved(int fd, byte[] termios) {}

    /** Whether {@code fd} is a terminal: tcgetattr(3) succeeds only on one (isatty(3) does the same). */
    public static boolean isTerminal(int fd) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            return (int) TCGETATTR.invokeExact(state, fd, arena.allocate(termios.layout())) == 0;
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    /** Switches terminal {@code fd} to raw mode and returns what it was. */
    public static Saved makeRaw(int fd) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            MemorySegment settings = arena.allocate(termios.layout());
            Downcall.check((int) TCGETATTR.invokeExact(state, fd, settings), state, "tcgetattr", "fd " + fd);
            Saved saved = new Saved(fd, settings.toArray(ValueLayout.JAVA_BYTE));
            CFMAKERAW.invokeExact(settings);
            // TCSANOW: at once, keeping what was typed ahead; it is for the program about to read.
            Downcall.check(
                    (int) TCSETATTR.invokeExact(state, fd, linux_h.TCSANOW(), settings),
                    state,
                    "tcsetattr",
                    "fd " + fd);
            return saved;
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    /** Puts back the settings {@link #makeRaw} replaced. */
    public static void restore(Saved saved) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            MemorySegment settings = arena.allocateFrom(ValueLayout.JAVA_BYTE, saved.termios());
            // TCSAFLUSH: once the output is written, dropping input the container left unread.
            Downcall.check(
                    (int) TCSETATTR.invokeExact(state, saved.fd(), linux_h.TCSAFLUSH(), settings),
                    state,
                    "tcsetattr",
                    "fd " + saved.fd());
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
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
