package dev.canal.runtime.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.FunctionDescriptor;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sys classes link few downcalls: every plain system call goes through {@link Syscall}'s one
 * handle, and the few libc functions that are more than a system call are linked by name with
 * descriptors written by hand ({@link Downcall#capturingErrno(String, FunctionDescriptor)}),
 * which saves linking jextract's own handle of each: every such descriptor must still be the one
 * jextract read from the C headers, and the number of distinct shapes must stay small (each
 * costs a new JVM a downcall stub and a dozen method handle form classes: docs/start-time.md).
 */
class DowncallDeclarationsTest {

    /** syscall's one shape, and tcgetattr's and tcsetattr's. */
    private static final int MOST_SHAPES = 3;

    @Test
    void everyFunctionLinkedByNameIsDeclaredAsJextractDeclaresIt() throws Exception {
        initialiseEverySysClass();
        Map<String, FunctionDescriptor> declared = Downcall.declared();
        List<String> checked = new ArrayList<>();
        for (var entry : declared.entrySet()) {
            Method jextract = linux_h.class.getMethod(entry.getKey() + "$descriptor");
            assertEquals(jextract.invoke(null), entry.getValue(), entry.getKey());
            checked.add(entry.getKey());
        }
        assertEquals(Set.of("tcgetattr", "tcsetattr"), Set.copyOf(checked));
    }

    @Test
    void theSysLayerLinksOneShapeForEverySystemCall() throws Exception {
        initialiseEverySysClass();
        Set<Downcall.Shape> shapes = Downcall.shapes();
        assertTrue(shapes.size() <= MOST_SHAPES, "at most " + MOST_SHAPES + " distinct downcall shapes: " + shapes);
        FunctionDescriptor syscall = FunctionDescriptor.of(
                JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
        assertTrue(shapes.contains(new Downcall.Shape(syscall, 1)), shapes.toString());
    }

    /** Loads and initialises every class of this package, so each links its handles. */
    private static void initialiseEverySysClass() throws Exception {
        Path classes = Path.of(Downcall.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Path directory = classes.resolve(Downcall.class.getPackageName().replace('.', '/'));
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".class")) {
                    Class.forName(
                            Downcall.class.getPackageName() + "." + name.substring(0, name.length() - 6),
                            true,
                            Downcall.class.getClassLoader());
                }
            }
        }
    }
}
