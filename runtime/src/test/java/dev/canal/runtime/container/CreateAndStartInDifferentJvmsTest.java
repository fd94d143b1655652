package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.sys.ProcessControl;
import dev.canal.runtime.testing.CreateContainerMain;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.TestBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    @EnumSource(names = {"THREAD"})
    void aContainerCreatedByAnExitedJvmStartsFromThisOne(EngineChoice engine) throws Exception {
        Path bundle = TestBundle.create(work.resolve("bundle")).shell("echo started by another jvm; exit 3").write();
        Path stateRoot = work.resolve("state");
        Path output = work.resolve("output");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process creator = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                CreateContainerMain.class.getName(), stateRoot.toString(), "other", bundle.toString(), engine.name(), output.toString())
                .redirectErrorStream(true).start();
        String creatorOutput = new String(creator.getInputStream().readAllBytes());
        creator.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, creator.exitValue(), creatorOutput);

        Container container = new Containers(stateRoot).load("other");
        try {
            assertEquals(ContainerStatus.CREATED, container.status());
            assertEquals(List.of("other"), new Containers(stateRoot).ids());
            container.start();
            assertEquals(3, container.waitForExit());
            assertEquals("started by another jvm\n", Files.readString(output));
            assertEquals(ContainerStatus.STOPPED, container.status());
        } finally {
            container.delete(true);
        }
    }
}
