package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * unshare(2) and setns(2): move the calling thread into new or existing namespaces.
 *
 * <p>Both act on the calling thread alone, which is what lets a JVM thread prepare a container
 * for itself while the rest of the JVM stays where it is. The kernel refuses some of them in a
 * multithreaded process: a new user namespace (EINVAL), and a mount namespace while the thread
 * shares its filesystem context (root, cwd) with the others, which is why {@code CLONE_FS} is
 * unshared first.
 */
public final class Namespaces {

    private static final MethodHandle UNSHARE =
            Downcall.capturingErrno("unshare", FunctionDescriptor.of(linux_h.C_INT, linux_h.C_INT));
    private static final MethodHandle SETNS =
            Downcall.capturingErrno("setns", FunctionDescriptor.of(linux_h.C_INT, linux_h.C_INT, linux_h.C_INT));

    private Namespaces() {}

    /** unshare(2) with {@code CLONE_*} flags, for example {@code CLONE_FS | CLONE_NEWNS}. */
    public static void unshare(int flags) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            Downcall.check(
                    (int) UNSHARE.invokeExact(state, flags), state, "unshare", "flags 0x" + Integer.toHexString(flags));
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    /**
     * setns(2): join the namespace that {@code namespace} refers to (an open
     * {@code /proc/PID/ns/TYPE} file); {@code type} is its {@code CLONE_NEW*} flag, or 0 for any.
     */
    public static void setns(OwnedFd namespace, int type) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            Downcall.check((int) SETNS.invokeExact(state, namespace.fd(), type), state, "setns", namespace.toString());
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }
}
