package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hot commands start warm: each class a command loads outside its AOT cache (from canal.jar
 * or the JDK's modules, or spun at run time: method handle forms, downcall stubs) is start-up
 * work, so a count past its bound fails here. The bounds are counts, not times, about 15% above
 * what the commands loaded when they were set (docs/start-time.md has the figures); a change
 * that passes one should say in that page why the command now loads more, or retrain the caches
 * (cli/pom.xml, AotTraining) on the path it added.
 *
 * <p>Counted with {@code -Xlog:class+load} through {@code JDK_JAVA_OPTIONS}, which the java
 * launcher adds to bin/canal-oci's own options: a class mapped from the cache says
 * {@code source: shared objects file}; every other source counts.
 */
@RequiresRoot
class ColdStartClassesTest {

    /**
     * canal-oci state of a created container (its own cache): 0 since it takes no lock, so makes no
     * downcall (55 before, 98 before the one downcall shape).
     */
    static final int STATE_BOUND = 5;
    /**
     * canal-oci kill KILL of the created container (its own cache): 0 since SIGKILL and SIGTERM go
     * through the JDK's ProcessHandle without the lock, so make no downcall (30 before, 55 before
     * the records' equals and the C strings spun nothing).
     */
    static final int KILL_BOUND = 5;
    /**
     * canal-oci delete --force of the killed container (its own cache): 0 since the state lock is
     * the JDK's FileChannel.lock on a lock file, so a stopped container's delete makes no downcall
     * (30 before: the one downcall shape flock(2) needed linked, and FFM's own set-up).
     */
    static final int DELETE_BOUND = 5;
    /**
     * canal-oci create of canal-oci spec's config (create cache): 35 since the config is read by
     * the streaming parser, NulCharacters reads no annotation, the seccomp compiler's records
     * write out equals and hashCode and every record reader is trained (docs/start-time.md, step
     * 12); 64 after step 9, 312 before it, 629 before the one shape for system calls.
     */
    static final int CREATE_BOUND = 42;
    /** canal-oci run of the same config: 35, 64 before step 12. */
    static final int RUN_BOUND = 42;
    /**
     * canal run --rm of an imported busybox (its own cache since issue 14's canal run step): 75
     * since the image store's and container's records are made by core reflection, the default
     * config is a tree, geteuid takes the one downcall shape and four records' equals are written
     * out; 222 before that (the full cache), 321 before the sys layer's one downcall shape, 435
     * since picocli is compiled as modern class files, which the cache stores (step 5), 616
     * before that, 175 of them picocli's.
     */
    static final int CANAL_RUN_BOUND = 90;
    /**
     * Classes of canal.jar itself that a command may load outside its cache: its training covers
     * these paths, and picocli's classes are in the cache (a Java 5 picocli jar back on the class
     * path would put some 175 here).
     */
    static final int CANAL_JAR_BOUND = 5;

    @TempDir
    Path work;

    /**
     * What one command loaded, by where it came from; {@code databind} counts Jackson databind's
     * classes wherever they came from: a cache holds every class its training JVM loaded, and
     * JDK 25 loads all of them at every start (docs/start-time.md, step 13).
     */
    record Loaded(int outsideCache, int fromCanalJar, int databind, List<String> outside) {}

    @Test
    void canalOciStateCreateAndRunLoadFewClassesOutsideTheirCaches() throws Exception {
        Path bundle = OciBundle.create(work.resolve("bundle"));
        OciBundle.process(bundle, "/bin/true");
        String root = work.resolve("root").toString();
        try {
            Loaded create = loaded("canal-oci", "--root", root, "create", "--bundle", bundle.toString(), "cold1");
            Loaded state = loaded("canal-oci", "--root", root, "state", "cold1");
            Loaded kill = loaded("canal-oci", "--root", root, "kill", "cold1", "KILL");
            Loaded delete = loaded("canal-oci", "--root", root, "delete", "--force", "cold1");
            Loaded run = loaded("canal-oci", "--root", root, "run", "--bundle", bundle.toString(), "cold2");
            assertWithin(create, CREATE_BOUND, CANAL_JAR_BOUND, "canal-oci create");
            assertWithin(state, STATE_BOUND, CANAL_JAR_BOUND, "canal-oci state");
            assertWithin(kill, KILL_BOUND, CANAL_JAR_BOUND, "canal-oci kill");
            assertWithin(delete, DELETE_BOUND, CANAL_JAR_BOUND, "canal-oci delete");
            assertWithin(run, RUN_BOUND, CANAL_JAR_BOUND, "canal-oci run");
            assertEquals(0, create.databind(), "canal-oci create loaded Jackson databind, which it never runs");
            assertEquals(0, run.databind(), "canal-oci run loaded Jackson databind, which it never runs");
        } finally {
            assertEquals(0, OciBundle.oci(root, "delete", "--force", "cold1").exitCode());
            assertEquals(0, OciBundle.oci(root, "delete", "--force", "cold2").exitCode());
        }
    }

    @Test
    void canalRunLoadsFewClassesOutsideItsCache() throws Exception {
        Path tarball = BusyboxTar.create(work);
        Path store = work.resolve("store");
        Path state = work.resolve("state");
        Loaded run;
        // In a mount namespace of the test's own, so the container's overlay never reaches maven's.
        try (var namespace = PrivateMountNamespace.create()) {
            var imported =
                    namespace.run(PrivateCanal.command(store, state, "import", tarball.toString(), "cold:1"), Map.of());
            assertEquals(0, imported.exitCode(), imported.stderr());
            run = loaded(namespace.entering(PrivateCanal.command(store, state, "run", "--rm", "cold:1", "true")));
        }
        assertWithin(run, CANAL_RUN_BOUND, CANAL_JAR_BOUND, "canal run");
    }

    private static void assertWithin(Loaded loaded, int bound, int jarBound, String command) {
        assertTrue(
                loaded.outsideCache() <= bound,
                command + " loaded " + loaded.outsideCache() + " classes outside its AOT cache (bound " + bound + "): "
                        + loaded.outside());
        assertTrue(
                loaded.fromCanalJar() <= jarBound,
                command + " loaded " + loaded.fromCanalJar() + " classes from canal.jar, not from its AOT cache: "
                        + loaded.outside());
    }

    /** Runs bin/PROGRAM ARGS with class loading logged, which must succeed, and counts what it loaded. */
    private Loaded loaded(String program, String... args) throws Exception {
        var command = new ArrayList<>(
                List.of(CanalHome.ROOT.resolve("bin").resolve(program).toString()));
        command.addAll(List.of(args));
        return loaded(command);
    }

    /** Runs {@code command} (a launcher's) with class loading logged, which must succeed, and counts what it loaded. */
    private Loaded loaded(List<String> command) throws Exception {
        Path log = Files.createTempFile(work, "launcher", ".classes");
        var result = CanalHome.run(command, Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load:file=" + log), 60);
        assertEquals(0, result.exitCode(), String.join(" ", command) + ": " + result.stderr());
        List<String> lines = Files.readAllLines(log).stream()
                .filter(line -> line.contains(" source: "))
                .toList();
        assertTrue(lines.size() > 1000, "a JVM's start is logged: " + lines.size() + " classes");
        List<String> outside = lines.stream()
                .filter(line -> !line.endsWith("source: shared objects file"))
                .map(line -> line.substring(line.indexOf("] ") + 2))
                .toList();
        int fromJar = (int)
                outside.stream().filter(line -> line.endsWith("/canal.jar")).count();
        int databind = (int) lines.stream()
                .filter(line -> line.contains("] tools.jackson.databind."))
                .count();
        return new Loaded(outside.size(), fromJar, databind, outside);
    }
}
