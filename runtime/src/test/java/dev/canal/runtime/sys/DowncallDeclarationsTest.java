package dev.canal.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sys layer calls every C function through {@link Downcall}'s one handle, shaped for seven
 * {@code long}s in and one out: right for a function only if its arguments are integers and
 * pointers, at most seven, and its result is one too (Downcall's comment says why). Each is
 * checked here against jextract's declaration, read from the C headers; and a new JVM that
 * initialises every sys class must spin exactly one downcall stub (each distinct shape costs a
 * new JVM a stub class and a dozen method handle form classes: docs/start-time.md).
 */
class DowncallDeclarationsTest {

    /** The C types the one shape carries: integers and pointers, all passed in integer registers. */
    private static final Set<Class<?>> IN_INTEGER_REGISTERS =
            Set.of(byte.class, short.class, char.class, int.class, long.class);

    @Test
    void everyFunctionCalledTakesAndReturnsOnlyIntegersAndPointers() throws Exception {
        initialiseEverySysClass();
        Set<String> functions = Downcall.functions();
        assertTrue(
                functions.containsAll(Set.of("syscall", "posix_spawn", "strerror", "tcsetattr", "cfmakeraw")),
                functions.toString());
        for (String name : functions) {
            if (name.equals("syscall")) {
                // long syscall(long, ...): the function the shape is made for, variadic from its
                // second argument; jextract declares it as an invoker class, not a descriptor.
                continue;
            }
            var descriptor = (FunctionDescriptor)
                    linux_h.class.getMethod(name + "$descriptor").invoke(null);
            assertTrue(descriptor.argumentLayouts().size() <= Downcall.MOST_ARGS, name + ": " + descriptor);
            for (MemoryLayout argument : descriptor.argumentLayouts()) {
                assertTrue(inIntegerRegister(argument), name + ": " + descriptor);
            }
            descriptor
                    .returnLayout()
                    .ifPresent(result -> assertTrue(inIntegerRegister(result), name + ": " + descriptor));
        }
    }

    @Test
    void aJvmThatInitialisesEverySysClassSpinsOneDowncallStub() throws Exception {
        Process java = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-Xlog:class+load=info:stdout",
                        "-cp",
                        System.getProperty("java.class.path"),
                        EverySysClass.class.getName())
                .redirectErrorStream(true)
                .start();
        List<String> output;
        try (var lines = java.inputReader(StandardCharsets.UTF_8).lines()) {
            output = lines.toList();
        }
        assertEquals(0, java.waitFor(), String.join("\n", output));
        List<String> stubs = output.stream()
                .filter(line -> line.contains("jdk.internal.foreign.abi.DowncallStub/"))
                .toList();
        assertEquals(1, stubs.size(), String.join("\n", stubs));
    }

    /** Initialises every sys class in a JVM of its own, and calls through a few of them. */
    static final class EverySysClass {
        public static void main(String[] args) throws Exception {
            initialiseEverySysClass();
            Processes.pid();
            Errno.failure("test", "", linux_h.ENOENT());
            TerminalModes.isTerminal(0);
            new PosixSpawn().dup2(0, 0).close();
        }
    }

    private static boolean inIntegerRegister(MemoryLayout layout) {
        return layout instanceof AddressLayout
                || layout instanceof ValueLayout value && IN_INTEGER_REGISTERS.contains(value.carrier());
    }

    /** Loads and initialises every class of this package, so each looks up its functions. */
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
