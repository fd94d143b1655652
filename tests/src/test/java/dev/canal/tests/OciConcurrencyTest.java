package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.container.Containers;
import dev.canal.runtime.container.StateLock;
import dev.canal.runtime.seccomp.SeccompCache;
import dev.canal.runtime.testing.LockWaiters;
import dev.canal.runtime.testing.RequiresRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Commands on one container from several processes at once, as a supervisor and a user's
 * shell may send them: each gets either a consistent answer or runc's kind of error, and
 * nothing is left behind.
 */
@RequiresRoot
class OciConcurrencyTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PARALLEL = 4;

    @TempDir
    Path work;

    private Path bundle;
    private String root;
    private final String id = "race-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void bundle() throws Exception {
        bundle = OciBundle.create(work.resolve("bundle"));
        OciBundle.process(bundle, "sleep", "600");
        root = work.resolve("state").toString();
    }

    /** Runs every command at once, each in its own canal-oci process, and returns the results in order. */
    private static List<CanalHome.Result> atOnce(List<Callable<CanalHome.Result>> commands) throws Exception {
        return whenReleased(null, null, commands);
    }

    /**
     * Runs the commands at once while the test holds {@code lock}, on {@code lockFile} (when not
     * null), waits until every one of them is queued on it, then releases it: they then compete
     * for the container at the same moment, however long each took to start its JVM.
     */
    private static List<CanalHome.Result> whenReleased(
            StateLock lock, Path lockFile, List<Callable<CanalHome.Result>> commands) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(commands.size());
        try {
            List<Future<CanalHome.Result>> running = new ArrayList<>();
            commands.forEach(command -> running.add(pool.submit(command)));
            if (lock != null) {
                try (lock) {
                    while (LockWaiters.on(lockFile) < commands.size()) {
                        assertTrue(
                                running.stream().noneMatch(Future::isDone),
                                "every command waits while the lock is held");
                    }
                }
            }
            List<CanalHome.Result> results = new ArrayList<>();
            for (Future<CanalHome.Result> result : running) {
                results.add(result.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ofManyCreatesOfOneIdExactlyOneSucceeds() throws Exception {
        List<Callable<CanalHome.Result>> creates = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            creates.add(() -> OciBundle.oci(root, "create", "--bundle", bundle.toString(), id));
        }
        List<CanalHome.Result> results = atOnce(creates);
        try {
            assertEquals(
                    1, results.stream().filter(result -> result.exitCode() == 0).count(), results.toString());
            for (CanalHome.Result result : results) {
                if (result.exitCode() != 0) {
                    assertEquals(1, result.exitCode());
                    assertEquals("canal-oci: container \"" + id + "\" already exists\n", result.stderr());
                }
            }
            assertEquals(id + "\n", OciBundle.oci(root, "list", "--quiet").stdout());
            assertEquals(
                    "created",
                    JSON.readTree(OciBundle.oci(root, "state", id).stdout())
                            .get("status")
                            .asString());
            assertEquals(0, OciBundle.oci(root, "start", id).exitCode());
            assertEquals(
                    "running",
                    JSON.readTree(OciBundle.oci(root, "state", id).stdout())
                            .get("status")
                            .asString());
        } finally {
            var delete = OciBundle.oci(root, "delete", "--force", id);
            assertEquals(0, delete.exitCode(), delete.stderr());
        }
        assertNothingLeft();
    }

    @Test
    void killAndStartQueuedWithADeleteSeeTheContainerOrItsAbsence() throws Exception {
        assertEquals(
                0,
                OciBundle.oci(root, "create", "--bundle", bundle.toString(), id).exitCode());
        StateLock held = new Containers(Path.of(root)).load(id).lock(StateLock.Mode.EXCLUSIVE);
        List<Callable<CanalHome.Result>> commands = new ArrayList<>();
        commands.add(() -> OciBundle.oci(root, "delete", "--force", id));
        commands.add(() -> OciBundle.oci(root, "start", id));
        for (int i = 2; i < PARALLEL; i++) {
            commands.add(() -> OciBundle.oci(root, "kill", id, "CONT"));
        }
        try {
            List<CanalHome.Result> results = whenReleased(held, Path.of(root, id, StateLock.FILE), commands);
            assertEquals(0, results.getFirst().exitCode(), results.getFirst().stderr());
            String gone = "canal-oci: container \"" + id + "\" does not exist\n";
            var start = results.get(1);
            assertTrue(
                    start.exitCode() == 0 || start.stderr().equals(gone),
                    "start ran before delete, or found it gone: " + start);
            for (CanalHome.Result kill : results.subList(2, results.size())) {
                assertTrue(
                        kill.exitCode() == 0 || kill.stderr().equals(gone),
                        "kill ran before delete, or found it gone: " + kill);
            }
        } finally {
            if (Files.exists(Path.of(root, id))) { // only when the commands failed to delete it
                OciBundle.oci(root, "delete", "--force", id);
            }
        }
        assertNothingLeft();
    }

    /**
     * state is a query (runtime.md#query-state) and takes no lock, as runc's: it answers while
     * another command holds the container (a state that waited would time out here), and beside a
     * delete it reports the container as it finds it, or gone, never a half-removed one.
     */
    @Test
    void stateAnswersWhileAnotherCommandHoldsTheContainerAndBesideADelete() throws Exception {
        assertEquals(
                0,
                OciBundle.oci(root, "create", "--bundle", bundle.toString(), id).exitCode());
        try (StateLock held = new Containers(Path.of(root)).load(id).lock(StateLock.Mode.EXCLUSIVE)) {
            var state = OciBundle.oci(root, "state", id);
            assertEquals(0, state.exitCode(), state.stderr());
            assertEquals("created", JSON.readTree(state.stdout()).get("status").asString());
        }
        List<Callable<CanalHome.Result>> commands = new ArrayList<>();
        commands.add(() -> OciBundle.oci(root, "delete", "--force", id));
        for (int i = 1; i < PARALLEL; i++) {
            commands.add(() -> OciBundle.oci(root, "state", id));
        }
        List<CanalHome.Result> results = atOnce(commands);
        assertEquals(0, results.getFirst().exitCode(), results.getFirst().stderr());
        String gone = "canal-oci: container \"" + id + "\" does not exist\n";
        for (CanalHome.Result state : results.subList(1, results.size())) {
            if (state.exitCode() == 0) {
                String status = JSON.readTree(state.stdout()).get("status").asString();
                assertTrue(Set.of("created", "stopped").contains(status), "state beside a delete: " + state.stdout());
            } else {
                assertEquals(gone, state.stderr(), "the only failure is finding it gone: " + state);
            }
        }
        assertNothingLeft();
    }

    /**
     * No state directory, and no cgroup named after the container in any hierarchy (a cgroup is
     * removed only once no process is left in it). Other tests on this machine have cgroups and
     * mounts of their own, so the host as a whole is not compared.
     */
    private void assertNothingLeft() throws IOException {
        try (Stream<Path> states = Files.list(Path.of(root))) {
            assertEquals(
                    List.of(),
                    states.filter(state -> !state.getFileName().toString().equals(SeccompCache.STATE_ROOT_ENTRY))
                            .toList(),
                    "no state is left");
        }
        try (Stream<Path> cgroups = Files.walk(Path.of("/sys/fs/cgroup"), 4)) {
            assertEquals(
                    List.of(),
                    cgroups.filter(path -> path.getFileName().toString().equals(id))
                            .toList(),
                    "no cgroup is left");
        }
    }
}
