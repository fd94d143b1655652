package dev.canal.cli;

import dev.canal.cli.oci.CanalOciCommand;
import dev.canal.cli.oci.QuickCommands;
import dev.canal.runtime.sys.Signals;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.OptionalInt;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The training run for the JDK's ahead-of-time cache (JEP 483/514), run at package time with
 * {@code -XX:AOTCacheOutput}. It executes the commands people run most, in one JVM and without
 * side effects, so the classes they load and link are stored in the cache and a later start
 * maps them instead of loading them again.
 *
 * <p>With the argument {@code quick} it trains only {@link QuickCommands}: that smaller cache is
 * what bin/canal-oci maps for {@code state}, {@code kill}, {@code delete} and {@code --version}.
 * Every class in a cache is mapped, relocated and loaded at start whether the command uses it or
 * not, so picocli's and databind's classes would cost those commands time (docs/start-time.md).
 */
public final class AotTraining {

    private AotTraining() {}

    public static void main(String[] args) throws IOException {
        boolean quickOnly = args.length == 1 && args[0].equals("quick");
        if (!quickOnly) {
            for (String[] command : new String[][] {{"--version"}, {"--help"}, {}}) {
                train(CanalCommand.commandLine(), command);
                train(new CommandLine(new CanalOciCommand()), command);
            }
        }
        trainQuickCommands();
    }

    private static void train(CommandLine commandLine, String[] args) {
        var sink = new PrintWriter(new StringWriter());
        commandLine.setOut(sink).setErr(sink).execute(args);
    }

    /**
     * {@code canal-oci state}, {@code kill} and {@code delete} as containerd's shim and conmon call
     * them, on a made-up container under a temporary {@code --root}: its recorded process is this
     * JVM with another start time, so it counts as stopped and nothing is signalled, and its
     * cgroup path names no cgroup, so delete removes nothing but its state directory. An unknown
     * container and a bad signal train the error report.
     */
    private static void trainQuickCommands() throws IOException {
        Path root = Files.createTempDirectory("canal-aot-training");
        String id = "aot-training";
        // StoredState's fields, as canal-oci create writes them.
        Files.writeString(
                Files.createDirectory(root.resolve(id)).resolve("state.json"),
                "{\"id\":\"" + id + "\",\"pid\":" + ProcessHandle.current().pid() + ",\"pidStartTime\":0,\"bundle\":\""
                        + root
                        + "\",\"rootfs\":\"" + root + "/rootfs\",\"created\":\"" + Instant.now()
                        + "\",\"annotations\":{},\"engine\":\"clone\",\"cgroupPath\":\"/" + root.getFileName() + "\"}");
        PrintStream out = System.out;
        PrintStream err = System.err;
        var sink = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(sink);
        System.setErr(sink);
        String r = root.toString();
        String log = root.resolve("log.json").toString();
        try {
            QuickCommands.run(new String[] {"--version"});
            require(QuickCommands.run(new String[] {"--root", r, "state", id}), "state");
            QuickCommands.run(new String[] {"--root", r, "--log", log, "--log-format", "json", "kill", id, "KILL"});
            QuickCommands.run(new String[] {"--root", r, "kill", "--all", id, "9"});
            QuickCommands.run(new String[] {"--root", r, "kill", id, "NOSUCHSIGNAL"});
            QuickCommands.run(new String[] {"--root", r, "state", "no-such-container"});
            // Not required to succeed: a build machine may have no cgroup hierarchy mounted.
            QuickCommands.run(new String[] {"--root", r, "delete", "--force", id});
            // The made-up container is never signalled; signal 0 links the same kill(2) downcall
            // and sends nothing (kill(2): it only checks that the process exists).
            Signals.kill((int) ProcessHandle.current().pid(), 0);
        } finally {
            System.setOut(out);
            System.setErr(err);
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    /**
     * A training command that must succeed: if {@code state} of the made-up container fails, its
     * state.json no longer matches StoredState, and the cache would miss the commands' path.
     */
    private static void require(OptionalInt status, String command) {
        if (status.isEmpty() || status.getAsInt() != 0) {
            throw new IllegalStateException(
                    "AOT training: canal-oci " + command + " of the made-up container failed: " + status);
        }
    }
}
