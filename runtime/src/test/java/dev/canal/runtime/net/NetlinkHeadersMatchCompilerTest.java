package dev.canal.runtime.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The netlink constants and layouts written in Java ({@link Netlink}, {@link RouteNetlink},
 * {@link NfTablesNetlink}) against the machine's C headers: a C program compiled with gcc at
 * test time prints every constant, struct size and field offset by the same names, and each
 * must equal the Java value. A typo or a header that changed fails here, not on the wire.
 */
class NetlinkHeadersMatchCompilerTest {

    private static final List<Class<?>> DEFINITIONS = List.of(Netlink.class, RouteNetlink.class, NfTablesNetlink.class);

    @TempDir
    static Path work;

    private static Map<String, Long> compiled;

    @BeforeAll
    static void compileAndRunProbe() throws Exception {
        var probe = new StringBuilder("""
                #include <stddef.h>
                #include <stdio.h>
                #include <sys/socket.h>
                #include <netinet/in.h>
                #include <linux/if.h>
                #include <linux/if_addr.h>
                #include <linux/if_link.h>
                #include <linux/netlink.h>
                #include <linux/rtnetlink.h>
                #include <linux/veth.h>
                #include <linux/netfilter.h>
                #include <linux/netfilter_ipv4.h>
                #include <linux/netfilter/nf_nat.h>
                #include <linux/netfilter/nfnetlink.h>
                #include <linux/netfilter/nf_tables.h>
                int main(void) {
                """);
        for (String name : constants().keySet()) {
            probe.append("  printf(\"%s=%%lld\\n\", (long long)(%s));\n".formatted(name, name));
        }
        for (var entry : layouts().entrySet()) {
            String struct = entry.getKey();
            probe.append(
                    "  printf(\"sizeof %s=%%lld\\n\", (long long) sizeof(struct %s));\n".formatted(struct, struct));
            for (MemoryLayout member : entry.getValue().memberLayouts()) {
                String field = member.name().orElseThrow();
                probe.append("  printf(\"offsetof %s.%s=%%lld\\n\", (long long) offsetof(struct %s, %s));\n"
                        .formatted(struct, field, struct, field));
            }
        }
        probe.append("  return 0;\n}\n");
        Path source = work.resolve("probe.c");
        Path binary = work.resolve("probe");
        Files.writeString(source, probe);
        run(List.of("gcc", "-o", binary.toString(), source.toString()));
        compiled = new HashMap<>();
        for (String line : run(List.of(binary.toString())).split("\n")) {
            int eq = line.lastIndexOf('=');
            compiled.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
        }
    }

    @Test
    void everyConstantHasTheHeadersValue() {
        Map<String, Integer> constants = constants();
        assertTrue(constants.size() > 90, "the definitions hold the constants Canal sends");
        constants.forEach((name, value) -> assertEquals(compiled.get(name).intValue(), value, name));
    }

    @Test
    void everyStructHasTheHeadersSizeAndOffsets() {
        layouts().forEach((struct, layout) -> {
            assertEquals(compiled.get("sizeof " + struct), layout.byteSize(), "sizeof " + struct);
            for (MemoryLayout member : layout.memberLayouts()) {
                String field = member.name().orElseThrow();
                assertEquals(
                        compiled.get("offsetof " + struct + "." + field),
                        layout.byteOffset(MemoryLayout.PathElement.groupElement(field)),
                        "offsetof " + struct + "." + field);
            }
        });
    }

    /** Every public static final int, by its C name. */
    private static Map<String, Integer> constants() {
        var constants = new TreeMap<String, Integer>();
        for (Field field : fields()) {
            if (field.getType() == int.class) {
                constants.put(field.getName(), (Integer) get(field));
            }
        }
        return constants;
    }

    /** Every struct layout: the field NLMSGHDR is struct nlmsghdr. */
    private static Map<String, StructLayout> layouts() {
        var layouts = new TreeMap<String, StructLayout>();
        for (Field field : fields()) {
            if (field.getType() == StructLayout.class) {
                layouts.put(field.getName().toLowerCase(Locale.ROOT), (StructLayout) get(field));
            }
        }
        return layouts;
    }

    private static List<Field> fields() {
        var fields = new ArrayList<Field>();
        for (Class<?> definitions : DEFINITIONS) {
            for (Field field : definitions.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && Modifier.isFinal(field.getModifiers())) {
                    fields.add(field);
                }
            }
        }
        return fields;
    }

    private static Object get(Field field) {
        try {
            return field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), String.join(" ", command) + ":\n" + output);
        return output;
    }
}
