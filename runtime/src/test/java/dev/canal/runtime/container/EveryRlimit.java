package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.canal.runtime.oci.RlimitNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A value for every rlimit the spec names, and the check that /proc/self/limits shows them all. */
final class EveryRlimit {

    /**
     * Values at or below the JVM's own hard limits: raising a hard limit needs
     * CAP_SYS_RESOURCE, which these machines' root lacks.
     */
    static final Map<String, Long> VALUES = values();

    /** proc(5) limits: "Max open files            256                  256                  files". */
    private static final Map<String, String> ROWS = Map.ofEntries(
            Map.entry("RLIMIT_AS", "Max address space"),
            Map.entry("RLIMIT_CORE", "Max core file size"),
            Map.entry("RLIMIT_CPU", "Max cpu time"),
            Map.entry("RLIMIT_DATA", "Max data size"),
            Map.entry("RLIMIT_FSIZE", "Max file size"),
            Map.entry("RLIMIT_LOCKS", "Max file locks"),
            Map.entry("RLIMIT_MEMLOCK", "Max locked memory"),
            Map.entry("RLIMIT_MSGQUEUE", "Max msgqueue size"),
            Map.entry("RLIMIT_NICE", "Max nice priority"),
            Map.entry("RLIMIT_NOFILE", "Max open files"),
            Map.entry("RLIMIT_NPROC", "Max processes"),
            Map.entry("RLIMIT_RSS", "Max resident set"),
            Map.entry("RLIMIT_RTPRIO", "Max realtime priority"),
            Map.entry("RLIMIT_RTTIME", "Max realtime timeout"),
            Map.entry("RLIMIT_SIGPENDING", "Max pending signals"),
            Map.entry("RLIMIT_STACK", "Max stack size"));

    private EveryRlimit() {}

    private static Map<String, Long> values() {
        Map<String, Long> limits = new LinkedHashMap<>();
        limits.put("RLIMIT_AS", 4L << 30);
        limits.put("RLIMIT_CORE", 0L);
        limits.put("RLIMIT_CPU", 3600L);
        limits.put("RLIMIT_DATA", 3L << 30);
        limits.put("RLIMIT_FSIZE", 1L << 30);
        limits.put("RLIMIT_LOCKS", 512L);
        limits.put("RLIMIT_MEMLOCK", 65536L);
        limits.put("RLIMIT_MSGQUEUE", 8192L);
        limits.put("RLIMIT_NICE", 0L);
        limits.put("RLIMIT_NOFILE", 256L);
        limits.put("RLIMIT_NPROC", 4096L);
        limits.put("RLIMIT_RSS", 2L << 30);
        limits.put("RLIMIT_RTPRIO", 0L);
        limits.put("RLIMIT_RTTIME", 500000L);
        limits.put("RLIMIT_SIGPENDING", 1024L);
        limits.put("RLIMIT_STACK", 8L << 20);
        assertEquals(RlimitNames.names(), limits.keySet(), "every rlimit the spec names");
        return limits;
    }

    /** {@code process.rlimits} with every limit, soft and hard alike. */
    static void addTo(ObjectNode process) {
        ArrayNode rlimits = process.putArray("rlimits");
        VALUES.forEach((name, value) ->
                rlimits.addObject().put("type", name).put("hard", value).put("soft", value));
    }

    /** Every limit's soft and hard value in {@code limits}, the text of /proc/self/limits. */
    static void assertApplied(String limits) {
        VALUES.forEach((name, value) -> {
            String row = limits.lines()
                    .filter(l -> l.startsWith(ROWS.get(name)))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + ROWS.get(name) + " in " + limits));
            String[] fields = row.substring(ROWS.get(name).length()).strip().split("\\s+");
            assertEquals(List.of(value.toString(), value.toString()), List.of(fields[0], fields[1]), row);
        });
    }
}
