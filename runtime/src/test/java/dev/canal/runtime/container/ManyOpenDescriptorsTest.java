package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.TestBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A JVM with more descriptors open than the container's RLIMIT_NOFILE (1,024 in runc's default
 * config, set on the process while it is held): the held process must not carry the JVM's
 * descriptors, or every file it opens after the hold point (the exec FIFO, the console) fails
 * with EMFILE. Found after the clone stress test, which leaves a descriptor per spawn open.
 */
@RequiresRoot
class ManyOpenDescriptorsTest {

    private static final int JVM_DESCRIPTORS = 1_100;
    private static final List<OwnedFd> OPENED = new ArrayList<>();

    @TempDir
    Path work;

    @BeforeAll
    static void openMoreThanTheContainersLimit() {
        for (int i = 0; i < JVM_DESCRIPTORS; i++) {
            OPENED.add(OwnedFd.open("/dev/null", linux_h.O_RDONLY(), 0));
        }
    }

    @AfterAll
    static void closeThem() {
        OPENED.forEach(OwnedFd::close);
    }

    static Stream<Arguments> engines() {
        return Stream.of(EngineChoice.THREAD, EngineChoice.CLONE)
                .flatMap(engine -> Stream.of(Arguments.of(engine, false), Arguments.of(engine, true)));
    }

    @ParameterizedTest(name = "{0} engine, terminal {1}")
    @MethodSource("engines")
    void theHeldProcessKeepsNoneOfTheJvmsDescriptors(EngineChoice engine, boolean terminal) throws Exception {
        var bundle = TestBundle.create(work.resolve("bundle"))
                .shell("exit 3")
                .edit(config -> config.withObject("process").put("terminal", terminal));
        Container container = new Containers(work.resolve("state"))
                .create("fds", bundle.write(), new CreateOptions(engine, Stdio.inherit()));
        Optional<OwnedFd> master = container.terminal();
        try {
            Set<Integer> held = descriptors(container.pid());
            assertEquals(
                    0,
                    OPENED.stream().filter(fd -> held.contains(fd.fd())).count(),
                    "descriptors of this JVM open in the held process");
            // At most 0 to 2, the state directory, the clone engine's report pipe and the console FIFO.
            assertTrue(held.size() <= 6, "held process descriptors: " + held);
            container.start();
            assertEquals(3, container.waitForExit());
        } finally {
            master.ifPresent(OwnedFd::close);
            container.delete(true);
        }
    }

    private static Set<Integer> descriptors(int pid) throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return entries.map(entry -> Integer.valueOf(entry.getFileName().toString()))
                    .collect(Collectors.toSet());
        }
    }
}
