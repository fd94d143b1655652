package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The source tree under test, and a way to run its launchers as a user would. */
final class CanalHome {

    static final Path ROOT = Path.of(System.getProperty("canal.home", "..")).toAbsolutePath().normalize();

    private CanalHome() {}

    /** What a finished command printed and returned. */
    record Result(int exitCode, String stdout, String stderr) {}

    /** Runs {@code bin/<program> args...} with extra environment variables, to completion. */
    static Result run(String program, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        var command = new java.util.ArrayList<>(List.of(ROOT.resolve("bin").resolve(program).toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        var stdout = process.getInputStream().readAllBytes();
        var stderr = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "finished: " + command);
        return new Result(process.exitValue(), new String(stdout, StandardCharsets.UTF_8),
                new String(stderr, StandardCharsets.UTF_8));
    }
}
