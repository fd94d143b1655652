package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * canal and the docker CLI through canald, on one data root and exec root, see the same
 * containers: each one lists, reads the logs of, execs in, stops and removes the other's. canald
 * runs on a socket of its own, in the tests' private mount namespace, with canal's roots.
 */
@RequiresRoot
class CanaldSharesContainersTest {

    @TempDir
    static Path work;

    private static Path store;
    private static Path execRoot;
    private static Map<String, String> client;
    private static PrivateMountNamespace namespace;
    private static Process canald;

    @BeforeAll
    static void canaldWithABusyboxImage() throws Exception {
        store = work.resolve("store");
        execRoot = work.resolve("exec");
        Path socket = work.resolve("canal.sock");
        client = Map.of(
                "DOCKER_HOST",
                "unix://" + socket,
                "DOCKER_CONFIG",
                work.resolve("docker-config").toString());
        namespace = PrivateMountNamespace.create();
        Path log = work.resolve("canald.log");
        canald = new ProcessBuilder(namespace.entering(List.of(
                        CanalHome.ROOT.resolve("bin/canald").toString(),
                        "-H",
                        "unix://" + socket,
                        "--data-root",
                        store.toString(),
                        "--exec-root",
                        execRoot.toString(),
                        // No default bridge: this canald runs in the machine's network namespace,
                        // where a test makes no interface and no nf_tables rule.
                        "--bridge",
                        "none")))
                .redirectOutput(log.toFile())
                .redirectErrorStream(true)
                .start();
        for (int attempt = 0; docker("version").exitCode() != 0; attempt++) {
            if (attempt == 300 || !canald.isAlive()) {
                fail("canald did not answer: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        var imported = docker("import", BusyboxTar.create(work).toString(), "bb:1");
        assertEquals(0, imported.exitCode(), imported.stderr());
    }

    /** canald ends on SIGTERM (nsenter and the launcher exec it), then the namespace goes. */
    @AfterAll
    static void stopCanald() throws Exception {
        canald.destroy();
        assertTrue(canald.waitFor(60, TimeUnit.SECONDS), "canald still runs after SIGTERM");
        PrivateCanal.assertNothingLeft(store, execRoot, namespace);
        namespace.close();
    }

    private static CanalHome.Result docker(String... args) throws Exception {
        var command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return namespace.run(command, client);
    }

    private static CanalHome.Result canal(String... args) throws Exception {
        return namespace.run(PrivateCanal.command(store, execRoot, args), Map.of());
    }

    private static String ok(CanalHome.Result result) {
        assertEquals(0, result.exitCode(), result.stderr());
        return result.stdout();
    }

    /** The logs of {@code container} through {@code front}, once they are {@code expected}. */
    private static void awaitLogs(String expected, String front, String container) throws Exception {
        for (int attempt = 0; attempt < 300; attempt++) {
            String logs = ok(front.equals("canal") ? canal("logs", container) : docker("logs", container));
            if (logs.equals(expected)) {
                return;
            }
            Thread.sleep(100);
        }
        fail(front + " logs " + container + " never printed " + expected);
    }

    @Test
    void eachFrontListsReadsExecsInStopsAndRemovesTheOthersContainers() throws Exception {
        String loop = "; while true; do sleep 0.1; done";
        ok(docker("run", "-d", "--network", "none", "--name", "fromdocker", "bb:1", "sh", "-c", "echo docker" + loop));
        ok(canal("run", "-d", "--name", "fromcanal", "bb:1", "sh", "-c", "echo canal" + loop));
        try {
            assertEquals("fromcanal\nfromdocker\n", ok(docker("ps", "--format", "{{.Names}}")));
            String listed = ok(canal("ps"));
            assertTrue(listed.contains(" fromdocker\n") && listed.contains(" fromcanal\n"), listed);

            awaitLogs("docker\n", "canal", "fromdocker");
            awaitLogs("canal\n", "docker", "fromcanal");
            assertEquals("in docker's\n", ok(canal("exec", "fromdocker", "echo", "in docker's")));
            assertEquals("in canal's\n", ok(docker("exec", "fromcanal", "echo", "in canal's")));

            // sleep's shell ignores SIGTERM as pid 1 without a trap: SIGKILL after the second.
            assertEquals("fromdocker\n", ok(canal("stop", "-t", "1", "fromdocker")));
            assertEquals("fromcanal\n", ok(docker("stop", "-t", "1", "fromcanal")));
            assertEquals(
                    "exited 137\n", ok(docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "fromdocker")));
            assertTrue(ok(canal("ps", "-a")).contains(" Exited (137) "));
        } finally {
            canal("rm", "-f", "fromdocker");
            docker("rm", "-f", "fromcanal");
        }
        assertEquals("", ok(canal("ps", "-a", "-q")));
        assertEquals("", ok(docker("ps", "-a", "-q")));
    }
}
