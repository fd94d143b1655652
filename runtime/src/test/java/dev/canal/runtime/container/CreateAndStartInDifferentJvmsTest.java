package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.sys.ProcessControl;
import dev.canal.runtime.testing.CreateContainerMain;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.TestBundle;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * runc's model: {@code create} in one process, which exits, and {@code start} in another. The
 * first process stays held in between, owned by nobody but the kernel.
 */
@RequiresRoot
class CreateAndStartInDifferentJvmsTest {

    @TempDir
    Path work;

    /** The created process outlives its creator; as subreaper this JVM inherits it and can reap it. */
    @BeforeAll
    static void adoptOrphans() {
        ProcessControl.becomeChildSubreaper();
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aContainerCreatedByAnExitedJvmStartsFromThisOne(EngineChoice engine) throws Exception {
        Path bundle = TestBundle.create(work.resolve("bundle"))
                .shell("echo started by another jvm; exit 3")
                .write();
        Path stateRoot = work.resolve("state");
        Path output = work.resolve("output");
        var creator = runJvm(stateRoot, bundle, engine, output, "create");
        assertEquals(0, creator.exitCode(), creator.output());

        Container container = new Containers(stateRoot).load("jvm");
        try {
            assertEquals(ContainerStatus.CREATED, container.status());
            assertEquals(List.of("jvm"), new Containers(stateRoot).ids());
            container.start();
            assertEquals(3, container.waitForExit());
            assertEquals("started by another jvm\n", Files.readString(output));
            assertEquals(ContainerStatus.STOPPED, container.status());
        } finally {
            container.delete(true);
        }
    }

    /** A creator that dies leaves a held container; delete from anywhere removes all of it. */
    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aHeldContainerWhoseCreatorDiedIsDeletedFromThisJvm(EngineChoice engine) throws Exception {
        Path bundle = TestBundle.create(work.resolve("bundle")).args("true").write();
        Path stateRoot = work.resolve("state");
        var creator = runJvm(stateRoot, bundle, engine, work.resolve("output"), "create");
        assertEquals(0, creator.exitCode(), creator.output());

        Container container = new Containers(stateRoot).load("jvm");
        assertEquals(ContainerStatus.CREATED, container.status());
        int pid = container.pid();
        container.delete(false);
        assertEquals(List.of(), new Containers(stateRoot).ids());
        assertFalse(Files.exists(Path.of("/proc/" + pid)), "the held process is gone, and reaped");
    }

    /**
     * The spawning thread's root moves into the container with pivot_root; a class it loads
     * afterwards cannot be found. In this JVM earlier tests have loaded most classes already,
     * so a fresh JVM runs a container from start to end, with Canal's classes in directories
     * (as in an IDE) rather than jars: a jar is opened once, a directory's class files are
     * opened by path each time one is first loaded.
     */
    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void theFirstContainerOfAFreshJvmRunsToTheEnd(EngineChoice engine) throws Exception {
        Path bundle = TestBundle.create(work.resolve("bundle"))
                .shell("echo first; exit 5")
                .write();
        Path output = work.resolve("output");
        var run = runJvm(work.resolve("state"), bundle, engine, output, "run");
        assertEquals(5, run.exitCode(), run.output());
        assertEquals("first\n", Files.readString(output));
    }

    /** Surefire's test class path, each of Canal's module jars replaced by its classes directory. */
    private static String classPathWithCanalClassDirectories() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classPath.split(File.pathSeparator))
                .map(entry -> entry.matches(".*/target/canal-[a-z]+-[^/]*\\.jar")
                        ? Path.of(entry).resolveSibling("classes").toString()
                        : entry)
                .collect(Collectors.joining(File.pathSeparator));
    }

    private record Finished(int exitCode, String output) {}

    private static Finished runJvm(Path stateRoot, Path bundle, EngineChoice engine, Path output, String mode)
            throws Exception {
        var command = new ArrayList<String>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        // This JVM's own flags: native access, and what the clone engine needs from the JIT.
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(flag -> flag.startsWith("--enable-native-access") || flag.startsWith("-XX:CompileCommand"))
                .toList());
        command.addAll(List.of(
                "-cp",
                classPathWithCanalClassDirectories(),
                CreateContainerMain.class.getName(),
                stateRoot.toString(),
                "jvm",
                bundle.toString(),
                engine.name(),
                output.toString(),
                mode));
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        String printed = new String(jvm.getInputStream().readAllBytes());
        jvm.waitFor(60, TimeUnit.SECONDS);
        return new Finished(jvm.exitValue(), printed);
    }
}
