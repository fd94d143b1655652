package dev.canal.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The system call numbers written by hand in {@link SyscallNumbers} are the C compiler's: a
 * program compiled with gcc at test time prints {@code SYS_<name>} from {@code <sys/syscall.h>}
 * for each constant, as {@code BindingsMatchCompilerTest} does for the generated ones.
 */
class SyscallNumbersTest {

    @TempDir
    Path work;

    @Test
    void everyNumberIsTheCompilersSysConstant() throws Exception {
        List<Field> constants = Arrays.stream(SyscallNumbers.class.getFields())
                .filter(field -> Modifier.isStatic(field.getModifiers()))
                .toList();
        assertTrue(constants.size() >= 20, "SyscallNumbers lists the calls the bindings lack");
        var probe = new StringBuilder("#include <stdio.h>\n#include <sys/syscall.h>\nint main(void) {\n");
        for (Field field : constants) {
            String name = field.getName().toLowerCase(Locale.ROOT);
            probe.append("  printf(\"%s=%%ld\\n\", (long) SYS_%s);\n".formatted(field.getName(), name));
        }
        probe.append("  return 0;\n}\n");
        Path source = work.resolve("numbers.c");
        Path binary = work.resolve("numbers");
        Files.writeString(source, probe);
        run("gcc", "-o", binary.toString(), source.toString());
        Map<String, Long> compiled = run(binary.toString())
                .lines()
                .map(line -> line.split("="))
                .collect(Collectors.toMap(pair -> pair[0], pair -> Long.parseLong(pair[1])));
        for (Field field : constants) {
            assertEquals(compiled.get(field.getName()), field.getLong(null), "SYS_" + field.getName());
        }
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
        return output;
    }
}
