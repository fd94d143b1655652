package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * chdir(2) and fchdir(2). The working directory belongs to the filesystem context, which all
 * threads of a JVM share unless a thread has called unshare(CLONE_FS): only such a thread may
 * change it without moving the whole JVM.
 */
public final class WorkingDirectory {

    private static final MethodHandle CHDIR =
            Downcall.capturingErrno("chdir", FunctionDescriptor.of(linux_h.C_INT, linux_h.C_POINTER));
    private static final MethodHandle FCHDIR =
            Downcall.capturingErrno("fchdir", FunctionDescriptor.of(linux_h.C_INT, linux_h.C_INT));

    private WorkingDirectory() {}

    /** chdir(2). */
    public static void change(String path) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            Downcall.check((int) CHDIR.invokeExact(state, CStrings.allocate(arena, path)), state, "chdir", path);
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    /** fchdir(2): into the directory {@code directory} refers to. */
    public static void change(OwnedFd directory) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            Downcall.check((int) FCHDIR.invokeExact(state, directory.fd()), state, "fchdir", directory.toString());
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }
}
