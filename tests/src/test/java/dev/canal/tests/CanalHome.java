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

/** The source tree under test, and a way to run its launchers as a user would. */
final class CanalHome {

    static final Path ROOT =
            Path.of(System.getProperty("canal.home", "..")).toAbsolutePath().normalize();

    private CanalHome() {}

    /** What a finished command printed and returned. */
    record Result(int exitCode, String stdout, String stderr) {}

    /**
     * Runs {@code bin/<program> args...} with extra environment variables, to completion. Its
     * output goes to files, not pipes: a container it creates inherits its standard streams and
     * keeps them open after the command has exited, as with runc.
     */
    static Result run(String program, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        var command =
                new ArrayList<>(List.of(ROOT.resolve("bin").resolve(program).toString()));
        command.addAll(List.of(args));
        return run(command, environment, 60);
    }

    /**
     * Runs {@code command} with extra environment variables and standard input from /dev/null,
     * to completion within {@code timeoutSeconds}, its output collected through files.
     */
    static Result run(List<String> command, Map<String, String> environment, int timeoutSeconds)
            throws IOException, InterruptedException {
        return run(command, environment, timeoutSeconds, new File("/dev/null"));
    }

    /** Runs {@code bin/<program> args...} as {@link #run(String, Map, String...)} does, with {@code input} typed in. */
    static Result runTyping(String input, String program, String... args) throws IOException, InterruptedException {
        return runTyping(input, Map.of(), program, args);
    }

    /** {@link #runTyping(String, String, String...)} with extra environment variables. */
    static Result runTyping(String input, Map<String, String> environment, String program, String... args)
            throws IOException, InterruptedException {
        Path typed = Files.createTempFile("canal-stdin", ".txt");
        try {
            Files.writeString(typed, input);
            var command =
                    new ArrayList<>(List.of(ROOT.resolve("bin").resolve(program).toString()));
            command.addAll(List.of(args));
            return run(command, environment, 60, typed.toFile());
        } finally {
            Files.delete(typed);
        }
    }

    private static Result run(List<String> command, Map<String, String> environment, int timeoutSeconds, File input)
            throws IOException, InterruptedException {
        Path stdout = Files.createTempFile("canal-stdout", ".txt");
        Path stderr = Files.createTempFile("canal-stderr", ".txt");
        try {
            var builder = new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(input));
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("not finished within " + timeoutSeconds + " s: " + command);
            }
            return new Result(
                    process.exitValue(),
                    Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.delete(stdout);
            Files.delete(stderr);
        }
    }
}
