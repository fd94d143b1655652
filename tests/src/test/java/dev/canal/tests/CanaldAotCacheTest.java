package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * canald's AOT cache is built (cli/pom.xml's aot-cache-canald, CanaldTraining) and bin/canald
 * maps it: its own classes, Jetty's and Jackson's come from the cache, and up to the first answer
 * it loads few classes outside it (20 with the cache trained on containers and 23 with the one
 * trained without when this was set: what the JVM spins at run time, which a cache cannot hold;
 * without a cache some 2700 by the end of a first import, docs/daemon.md, section 6). A root
 * build trains canald on its start and first requests with or without
 * {@code -Dcanal.aot.containers=false}, so this holds for both. Counted as
 * ColdStartClassesTest counts, with {@code -Xlog:class+load} through {@code JDK_JAVA_OPTIONS}.
 */
@RequiresRoot
class CanaldAotCacheTest {

    /** Classes loaded outside the cache from canald's start to its answer to `docker version`. */
    static final int START_BOUND = 30;

    @TempDir
    Path work;

    @Test
    void canaldMapsItsCacheAndLoadsFewClassesOutsideIt() throws Exception {
        Path cache = CanalHome.ROOT.resolve("cli/target/canald-" + System.getProperty("java.version") + ".aot");
        Path jar = CanalHome.ROOT.resolve("daemon/target/canald.jar");
        assertTrue(Files.isRegularFile(cache), cache + " is not built");
        assertTrue(
                Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) > 0,
                cache + " is older than " + jar + ": bin/canald would not map it");

        Path log = work.resolve("canald.classes");
        Files.createDirectories(work.resolve("client"));
        Map<String, String> client = Map.of(
                "DOCKER_HOST",
                "unix://" + work.resolve("canald.sock"),
                "DOCKER_CONFIG",
                work.resolve("client").toString());
        // env(1) and unshare(1) exec what follows them: the process is canald's JVM.
        Process canald = CanaldLauncher.start(
                List.of(
                        "env",
                        "JDK_JAVA_OPTIONS=-Xlog:class+load:file=" + log,
                        "unshare",
                        "--mount",
                        "--propagation",
                        "private",
                        "--"),
                work,
                client,
                List.of("--bridge", "none"));
        List<String> lines;
        try {
            lines = Files.readAllLines(log).stream()
                    .filter(line -> line.contains(" source: "))
                    .toList();
        } finally {
            canald.destroy();
            assertTrue(canald.waitFor(CanaldLauncher.COMMAND_SECONDS, TimeUnit.SECONDS), "canald stops on SIGTERM");
        }
        assertEquals(0, canald.exitValue(), CanaldLauncher.log(work));

        for (String mapped : List.of(
                "dev.canal.daemon.Canald ",
                "dev.canal.daemon.ApiHandler ",
                "org.eclipse.jetty.server.Server ",
                "tools.jackson.databind.json.JsonMapper ")) {
            assertTrue(
                    lines.stream()
                            .anyMatch(line -> line.contains(mapped) && line.endsWith("source: shared objects file")),
                    mapped.strip() + " is not mapped from " + cache);
        }
        List<String> outside = lines.stream()
                .filter(line -> !line.endsWith("source: shared objects file"))
                .map(line -> line.substring(line.indexOf("] ") + 2))
                .toList();
        assertTrue(
                outside.size() <= START_BOUND,
                "canald loaded " + outside.size() + " classes outside its AOT cache before its first answer (bound "
                        + START_BOUND + "): " + outside);
    }
}
