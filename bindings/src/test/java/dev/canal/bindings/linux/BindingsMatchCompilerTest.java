package dev.canal.bindings.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the committed bindings against the C compiler of this machine: every constant, struct
 * size, field offset and typedef size that jextract declared is printed by a C program compiled
 * with gcc at test time and compared with the generated Java. A hand edit of bindings/, or a
 * regeneration on another platform or from other headers, makes this fail.
 */
class BindingsMatchCompilerTest {

    private static final Path HEADERS = Path.of(System.getProperty("canal.headers", "../jextract-headers"));

    @TempDir
    static Path work;

    private static Map<String, String> compiled;

    @BeforeAll
    static void compileAndRunProbe() throws Exception {
        var probe = new StringBuilder("""
                #include "canal_linux.h"
                #include <stddef.h>
                #include <stdio.h>
                int main(void) {
                """);
        for (String name : includes("constants.txt")) {
            probe.append("  printf(\"const %s=%%llu\\n\", (unsigned long long)(%s));\n".formatted(name, name));
        }
        for (String name : includes("structs.txt")) {
            probe.append("  printf(\"size struct %s=%%zu\\n\", sizeof(struct %s));\n".formatted(name, name));
            for (String field : namedFields(structLayout(name))) {
                probe.append("  printf(\"offset %s.%s=%%zu\\n\", offsetof(struct %s, %s));\n"
                        .formatted(name, field, name, field));
            }
        }
        for (String name : includes("typedefs.txt")) {
            probe.append("  printf(\"size %s=%%zu\\n\", sizeof(%s));\n".formatted(name, name));
        }
        probe.append("  return 0;\n}\n");

        Path source = work.resolve("probe.c");
        Path binary = work.resolve("probe");
        Files.writeString(source, probe);
        run(List.of("gcc", "-D_GNU_SOURCE", "-I", HEADERS.toAbsolutePath().toString(), "-o",
                binary.toString(), source.toString()));
        compiled = new LinkedHashMap<>();
        for (String line : run(List.of(binary.toString())).split("\n")) {
            int eq = line.lastIndexOf('=');
            compiled.put(line.substring(0, eq), line.substring(eq + 1));
        }
    }

    @Test
    void everyConstantHasTheCompilersValue() throws Exception {
        List<String> names = includes("constants.txt");
        assertTrue(names.size() > 100, "constants.txt lists the constants Canal uses");
        for (String name : names) {
            long cValue = Long.parseUnsignedLong(compiled.get("const " + name));
            Object javaValue = linux_h.class.getMethod(name).invoke(null);
            // A C macro has no Java type of its own; jextract narrows it to int or long. Compare
            // at that width, so 0x80000000 as a Java int (negative) still equals the C value.
            long expected = javaValue instanceof Integer ? (int) cValue : cValue;
            assertEquals(expected, ((Number) javaValue).longValue(), name);
        }
    }

    @Test
    void everyStructHasTheCompilersSizeAndOffsets() throws Exception {
        for (String name : includes("structs.txt")) {
            GroupLayout layout = structLayout(name);
            assertEquals(Long.parseLong(compiled.get("size struct " + name)), layout.byteSize(), "sizeof " + name);
            for (String field : namedFields(layout)) {
                long offset = layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
                assertEquals(Long.parseLong(compiled.get("offset " + name + "." + field)), offset,
                        "offsetof(" + name + ", " + field + ")");
            }
        }
    }

    @Test
    void everyTypedefHasTheCompilersSize() throws Exception {
        for (String name : includes("typedefs.txt")) {
            assertEquals(Long.parseLong(compiled.get("size " + name)), typedefLayout(name).byteSize(), "sizeof " + name);
        }
    }

    @Test
    void everyFunctionResolvesInThisLibc() throws Exception {
        for (String name : includes("functions.txt")) {
            MemorySegment address = functionAddress(name);
            assertTrue(address.address() != 0, name + " resolves");
        }
    }

    /** The names in one of jextract's argument files ("--include-constant NAME  # header"). */
    private static List<String> includes(String file) throws IOException {
        var names = new ArrayList<String>();
        for (String line : Files.readAllLines(HEADERS.resolve(file))) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && words[0].startsWith("--include-")) {
                names.add(words[1]);
            }
        }
        return names;
    }

    private static GroupLayout structLayout(String name) throws Exception {
        return (GroupLayout) Class.forName(linux_h.class.getPackageName() + "." + name)
                .getMethod("layout").invoke(null);
    }

    /** Fields C can name: jextract's padding and anonymous members have no C name. */
    private static List<String> namedFields(GroupLayout layout) {
        return layout.memberLayouts().stream()
                .flatMap(member -> member.name().stream())
                .filter(name -> !name.startsWith("$"))
                .toList();
    }

    /** A struct typedef has its own class; a scalar typedef is a layout constant in linux_h. */
    private static MemoryLayout typedefLayout(String name) throws Exception {
        try {
            return structLayout(name);
        } catch (ClassNotFoundException scalar) {
            return (ValueLayout) linux_h.class.getField(name).get(null);
        }
    }

    /** Plain functions expose NAME$address(); variadic ones a nested invoker class with address(). */
    private static MemorySegment functionAddress(String name) throws Exception {
        try {
            return (MemorySegment) linux_h.class.getMethod(name + "$address").invoke(null);
        } catch (NoSuchMethodException variadic) {
            return (MemorySegment) Class.forName(linux_h.class.getName() + "$" + name)
                    .getMethod("address").invoke(null);
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), String.join(" ", command) + " failed:\n" + output);
        return output;
    }
}
