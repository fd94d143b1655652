package dev.canal.runtime.oci;

import dev.canal.bindings.linux.linux_h;
import java.util.Map;
import java.util.Set;

/** The runtime-spec's rlimit names ({@code RLIMIT_NOFILE}) and their numbers (getrlimit(2)). */
public final class RlimitNames {

    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("RLIMIT_AS", linux_h.RLIMIT_AS()),
            Map.entry("RLIMIT_CORE", linux_h.RLIMIT_CORE()),
            Map.entry("RLIMIT_CPU", linux_h.RLIMIT_CPU()),
            Map.entry("RLIMIT_DATA", linux_h.RLIMIT_DATA()),
            Map.entry("RLIMIT_FSIZE", linux_h.RLIMIT_FSIZE()),
            Map.entry("RLIMIT_LOCKS", linux_h.RLIMIT_LOCKS()),
            Map.entry("RLIMIT_MEMLOCK", linux_h.RLIMIT_MEMLOCK()),
            Map.entry("RLIMIT_MSGQUEUE", linux_h.RLIMIT_MSGQUEUE()),
            Map.entry("RLIMIT_NICE", linux_h.RLIMIT_NICE()),
            Map.entry("RLIMIT_NOFILE", linux_h.RLIMIT_NOFILE()),
            Map.entry("RLIMIT_NPROC", linux_h.RLIMIT_NPROC()),
            Map.entry("RLIMIT_RSS", linux_h.RLIMIT_RSS()),
            Map.entry("RLIMIT_RTPRIO", linux_h.RLIMIT_RTPRIO()),
            Map.entry("RLIMIT_RTTIME", linux_h.RLIMIT_RTTIME()),
            Map.entry("RLIMIT_SIGPENDING", linux_h.RLIMIT_SIGPENDING()),
            Map.entry("RLIMIT_STACK", linux_h.RLIMIT_STACK()));

    private RlimitNames() {}

    /** The resources setrlimit(2) knows on Linux, by the spec's names (config.md#posix-process). */
    public static Set<String> names() {
        return NUMBERS.keySet();
    }

    /** The number of a known resource; see {@link #names}. */
    public static int number(String name) {
        Integer number = NUMBERS.get(name);
        if (number == null) {
            throw new IllegalArgumentException("unknown rlimit \"" + name + "\"");
        }
        return number;
    }
}
