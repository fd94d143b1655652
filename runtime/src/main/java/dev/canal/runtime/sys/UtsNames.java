package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;

/**
 * The host and NIS domain names of the calling thread's UTS namespace (uts_namespaces(7)):
 * what {@code hostname} and {@code domainname} print inside a container.
 */
public final class UtsNames {

    private UtsNames() {}

    /** sethostname(2). */
    public static void setHostname(String name) {
        set("sethostname", linux_h.SYS_sethostname(), name);
    }

    /** setdomainname(2). */
    public static void setDomainname(String name) {
        set("setdomainname", linux_h.SYS_setdomainname(), name);
    }

    private static void set(String call, long number, String name) {
        try (var arena = Arena.ofConfined()) {
            // Both take a length and need no terminating NUL.
            long length = name.getBytes(StandardCharsets.UTF_8).length;
            Syscall.call(call, name, number, CStrings.allocate(arena, name).address(), length);
        }
    }
}
