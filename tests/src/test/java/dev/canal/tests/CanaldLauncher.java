package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the tests' canald holders ({@link PrivateCanald}, {@link NetworkedCanald}) share: starting
 * bin/canald on a work directory's data and exec roots, waiting until the docker CLI gets an
 * answer from it, running that CLI against it, and reading canald's log for failure messages.
 */
final class CanaldLauncher {

    /** What one docker command may take on a loaded two-core machine. */
    static final int COMMAND_SECONDS = 120;

    /** The docker CLI 28 (API 1.50) these machines have, unmodified. */
    static final Path DOCKER = Path.of("/usr/local/bin/docker");

    private CanaldLauncher() {}

    /**
     * Starts bin/canald behind {@code entry} (the command that enters its namespaces) with
     * {@code WORK/data}, {@code WORK/exec}, the socket of {@code client}'s DOCKER_HOST and
     * {@code options}, its output appended to {@code WORK/canald.log}; returns once
     * {@code docker version} answers, and fails the test if canald exits or stays silent.
     */
    static Process start(List<String> entry, Path work, Map<String, String> client, List<String> options)
            throws Exception {
        var command = new ArrayList<>(entry);
        command.addAll(List.of(
                CanalHome.ROOT.resolve("bin/canald").toString(),
                "-H",
                client.get("DOCKER_HOST"),
                "--data-root",
                work.resolve("data").toString(),
                "--exec-root",
                work.resolve("exec").toString()));
        command.addAll(options);
        Process canald = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        work.resolve("canald.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(COMMAND_SECONDS);
        while (docker(client, "version", "--format", "{{.Server.Version}}").exitCode() != 0) {
            if (!canald.isAlive()) {
                fail("canald exited with " + canald.exitValue() + ":\n" + log(work));
            }
            if (System.nanoTime() - deadline >= 0) {
                fail("canald did not answer within " + COMMAND_SECONDS + " s:\n" + log(work));
            }
            Thread.sleep(100);
        }
        return canald;
    }

    /** `docker ARGS...` with {@code client}'s DOCKER_HOST and DOCKER_CONFIG. */
    static CanalHome.Result docker(Map<String, String> client, String... args)
            throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of(DOCKER.toString()));
        command.addAll(List.of(args));
        return CanalHome.run(command, client, COMMAND_SECONDS);
    }

    /** The last 40 lines of canald's output in {@code work}, for failure messages. */
    static String log(Path work) throws IOException {
        List<String> lines = Files.readAllLines(work.resolve("canald.log"), StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
