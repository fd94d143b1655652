package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * The host and NIS domain names of the calling thread's UTS namespace (uts_namespaces(7)):
 * what {@code hostname} and {@code domainname} print inside a container.
 */
public final class UtsNames {

    private static final MethodHandle SETHOSTNAME = Downcall.capturingErrno(
            "sethostname", FunctionDescriptor.of(linux_h.C_INT, linux_h.C_POINTER, linux_h.C_LONG));
    private static final MethodHandle SETDOMAINNAME = Downcall.capturingErrno(
            "setdomainname", FunctionDescriptor.of(linux_h.C_INT, linux_h.C_POINTER, linux_h.C_LONG));

    private UtsNames() {}

    /** sethostname(2). */
    public static void setHostname(String name) {
        set(SETHOSTNAME, "sethostname", name);
    }

    /** setdomainname(2). */
    public static void setDomainname(String name) {
        set(SETDOMAINNAME, "setdomainname", name);
    }

    private static void set(MethodHandle function, String call, String name) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            // Both take a length and need no terminating NUL.
            long length = name.getBytes(StandardCharsets.UTF_8).length;
            Downcall.check(
                    (int) function.invokeExact(state, CStrings.allocate(arena, name), length), state, call, name);
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }
}
