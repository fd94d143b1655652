package dev.canal.runtime.sys;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sys classes link libc's functions by name with descriptors written by hand
 * ({@link Downcall#capturingErrno(String, FunctionDescriptor)}), which saves linking jextract's
 * own handle of each: every descriptor must still be the one jextract read from the C headers.
 */
class DowncallDeclarationsTest {

    /** Functions declared otherwise on purpose, and why (each class's comment says more). */
    private static final Map<String, String> DECLARED_OTHERWISE =
            Map.of("connect", "glibc's __CONST_SOCKADDR_ARG is a transparent union, passed as a pointer (UnixSockets)");

    @Test
    void everyFunctionLinkedByNameIsDeclaredAsJextractDeclaresIt() throws Exception {
        initialiseEverySysClass();
        Map<String, FunctionDescriptor> declared = Downcall.declared();
        assertTrue(declared.size() >= 30, "the sys classes link their functions by name: " + declared.keySet());
        List<String> checked = new ArrayList<>();
        for (var entry : declared.entrySet()) {
            Method jextract = descriptorMethod(entry.getKey());
            if (jextract == null || DECLARED_OTHERWISE.containsKey(entry.getKey())) {
                continue; // not in the bindings (flock), or on purpose: nothing to compare with
            }
            assertEquals(jextract.invoke(null), entry.getValue(), entry.getKey());
            checked.add(entry.getKey());
        }
        assertTrue(checked.contains("mount") && checked.contains("kill"), checked.toString());
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

    private static Method descriptorMethod(String function) {
        try {
            return linux_h.class.getMethod(function + "$descriptor");
        } catch (NoSuchMethodException notInTheBindings) {
            return null;
        }
    }
}
