package dev.canal.cli;

import dev.canal.cli.oci.QuickCommands;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * The JVM that trains a quick cache ({@code state}, {@code kill}, {@code delete}, {@code quick}):
 * it runs canal-oci commands through {@link QuickCommands}, as bin/canal-oci does, and nothing
 * else. JDK 25 loads every class of a cache at start, so what the training JVM does besides the
 * commands is paid by every start of them: {@link AotTraining} makes the containers ready in its
 * own JVM, with the process starts, files and streams that takes, and then starts this one with
 * {@code -XX:AOTCacheOutput}.
 *
 * <p>Its argument is a file of commands, one a line, the arguments separated by tabs; a line
 * starting with {@value #REQUIRED} must succeed (the made-up state.json must still read), one
 * starting with {@value #REPORTED} is reported on standard error if it fails, any other is
 * expected to fail or may (an unknown container, a machine without cgroups).
 */
public final class AotReplay {

    static final String REQUIRED = "!";
    static final String REPORTED = "?";

    private AotReplay() {}

    public static void main(String[] args) throws IOException {
        if (!run(Files.readAllLines(Path.of(args[0])))) {
            System.exit(1);
        }
    }

    /**
     * Runs each command of {@code lines} with the commands' output silenced; returns false if a
     * required one failed.
     */
    static boolean run(List<String> lines) {
        PrintStream out = System.out;
        PrintStream report = System.err;
        var sink = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(sink);
        System.setErr(sink);
        boolean done = true;
        try {
            for (String line : lines) {
                boolean required = line.startsWith(REQUIRED);
                boolean reported = required || line.startsWith(REPORTED);
                String[] command = (reported ? line.substring(1) : line).split("\t");
                OptionalInt status = QuickCommands.run(command);
                if (reported && (status.isEmpty() || status.getAsInt() != 0)) {
                    report.println("AOT training: canal-oci " + String.join(" ", command) + " failed (" + status
                            + "): the cache misses its path");
                    done &= !required;
                }
            }
        } finally {
            System.setOut(out);
            System.setErr(report);
        }
        return done;
    }
}
