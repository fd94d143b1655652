package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code canal build}, the classic builder in-process, on {@link BuildContexts}'s two stages: the
 * image runs as built, a rebuild takes every step from the cache, {@code --no-cache} none,
 * {@code --target} stops at the first stage, and a bad Dockerfile fails with one line before
 * anything is made. Every command runs in one private mount namespace.
 */
@RequiresRoot
class BuildCommandTest {

    private static final String BUSYBOX = "bb:1";

    @TempDir
    static Path work;

    private static PrivateCanal canal;

    @BeforeAll
    static void importBusybox() throws Exception {
        canal = PrivateCanal.withBusybox(work, BUSYBOX);
    }

    @AfterAll
    static void leaveTheNamespace() throws InterruptedException {
        canal.close();
    }

    @AfterEach
    void noContainerLeft() throws Exception {
        canal.assertNothingLeft();
    }

    private static CanalHome.Result canal(String... args) throws Exception {
        return canal.run(args);
    }

    private static String ok(String... args) throws Exception {
        return canal.ok(args);
    }

    @Test
    void buildRunsRebuildsFromTheCacheAndStopsAtATarget() throws Exception {
        Path context = BuildContexts.create(work.resolve("context"), "canal");
        String first = ok("build", "--build-arg", "BASE=" + BUSYBOX, "-t", "built:1", context.toString());
        assertTrue(first.contains("Successfully tagged built:1"), first);
        assertEquals("hello from canal\n", ok("run", "--rm", "built:1"));
        assertEquals(
                BuildContexts.INSPECTED + "\n", ok("run", "--rm", "built:1", "sh", "-c", BuildContexts.INSPECTION));

        String again = ok("build", "--build-arg", "BASE=" + BUSYBOX, "-t", "built:1", context.toString());
        assertEquals(BuildContexts.CACHEABLE_STEPS, CanaldImageBuildTest.count(again, " ---> Using cache"), again);
        assertEquals(CanaldImageBuildTest.id(first), CanaldImageBuildTest.id(again));

        String uncached =
                ok("build", "--no-cache", "--build-arg", "BASE=" + BUSYBOX, "-t", "built:2", context.toString());
        assertEquals(0, CanaldImageBuildTest.count(uncached, " ---> Using cache"), uncached);

        ok("build", "--target", "builder", "--build-arg", "BASE=" + BUSYBOX, "-t", "stage:1", context.toString());
        assertEquals("hello from canal\n", ok("run", "--rm", "stage:1", "cat", "/work/out.txt"));
    }

    @Test
    void aBadDockerfileFailsWithOneLineAndMakesNothing() throws Exception {
        Path bad = Files.createDirectories(work.resolve("bad"));
        Files.writeString(bad.resolve("Dockerfile"), "FROM " + BUSYBOX + "\nRUN true\nBLORPX bar\n");
        List<String> layers = layers();
        var result = canal("build", "-t", "bad:1", bad.toString());
        assertEquals(1, result.exitCode());
        assertEquals("canal: dockerfile parse error on line 3: unknown instruction: BLORPX\n", result.stderr());
        assertEquals("", result.stdout());
        assertEquals(layers, layers());
    }

    private static List<String> layers() throws Exception {
        try (Stream<Path> layers = Files.list(canal.store().resolve("layers/sha256"))) {
            return layers.map(Path::toString).sorted().toList();
        }
    }
}
