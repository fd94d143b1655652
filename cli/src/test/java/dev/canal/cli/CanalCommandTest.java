package dev.canal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.cli.image.ImageCommand;
import dev.canal.cli.run.PsCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * How {@code canal} answers what it does not do: an unknown command, a user without root; and
 * that its command line with only the command named answers as the one with every command.
 */
class CanalCommandTest {

    /** What a command line printed and returned. */
    private record Outcome(int status, String out, String err) {}

    private static Outcome execute(int effectiveUid, String... args) {
        return execute(CanalCommand.commandLine(args), effectiveUid, args);
    }

    private static Outcome execute(CommandLine canal, int effectiveUid, String... args) {
        canal.setExecutionStrategy(new RootRequired(new CommandLine.RunLast(), () -> effectiveUid));
        var out = new StringWriter();
        var err = new StringWriter();
        canal.setOut(new PrintWriter(out));
        canal.setErr(new PrintWriter(err));
        int status = canal.execute(args);
        return new Outcome(status, out.toString(), err.toString());
    }

    @Test
    void anUnknownCommandIsTwoLinesAsDockerSaysIt() {
        assertEquals(
                new Outcome(1, "", "canal: 'network' is not a canal command.\nSee 'canal --help'.\n"),
                execute(0, "network", "ls"));
        assertEquals(
                new Outcome(1, "", "canal: 'image frobnicate' is not a canal command.\nSee 'canal image --help'.\n"),
                execute(0, "image", "frobnicate", "a", "b"));
    }

    @Test
    void withoutRootACommandSaysCanalNeedsRoot() {
        String needsRoot = "canal: canal needs root (namespaces, mounts, cgroups and the store under /var/lib/canal): "
                + "run it as root, e.g. sudo canal ";
        assertEquals(new Outcome(1, "", needsRoot + "images\n"), execute(1000, "images"));
        assertEquals(new Outcome(1, "", needsRoot + "image prune\n"), execute(1000, "image", "prune", "-f"));
        assertEquals(
                new Outcome(125, "", needsRoot + "run\n"),
                execute(1000, "run", "busybox", "true"),
                "run's own failures are 125");
    }

    @Test
    void helpTheVersionAndTheUsageNeedNoRoot() {
        for (String[] args :
                new String[][] {{}, {"--version"}, {"--help"}, {"image"}, {"stop", "--help"}, {"run", "--help"}}) {
            var outcome = execute(1000, args);
            assertEquals(0, outcome.status(), String.join(" ", args) + ": " + outcome.err());
            assertEquals("", outcome.err());
            assertTrue(!outcome.out().isEmpty(), String.join(" ", args));
        }
    }

    @Test
    void theCommandNamedAfterCanalsOptionsIsFound() {
        assertEquals(Optional.of(PsCommand.class), CanalCommand.commandNamed(new String[] {"ps"}));
        assertEquals(
                Optional.of(PsCommand.class),
                CanalCommand.commandNamed(new String[] {"--root", "/x", "--state=/y", "ps", "-a", "run"}));
        assertEquals(Optional.of(ImageCommand.class), CanalCommand.commandNamed(new String[] {"image", "ls"}));
        for (String[] args : new String[][] {
            {},
            {"--help"},
            {"-h", "ps"},
            {"--version", "ps"},
            {"network", "ls"},
            {"--bogus", "ps"},
            {"--root"},
            {"--root", "ps", "ps"},
            {"--root=images", "ps"}
        }) {
            assertEquals(Optional.empty(), CanalCommand.commandNamed(args), String.join(" ", args));
        }
    }

    @Test
    void onlyTheCommandNamedAnswersAsEveryCommandDoes() {
        for (String[] args : new String[][] {
            {"ps", "--help"},
            {"run", "--help"},
            {"image", "--help"},
            {"image", "ls", "--help"},
            {"image", "frobnicate"},
            {"ps", "--bogus"},
            {"run", "--bogus", "busybox"},
            {"run"},
            {"images", "a", "b"},
            {"--root", "ps", "ps"},
            {"stop"}
        }) {
            assertEquals(execute(CanalCommand.commandLine(), 0, args), execute(0, args), String.join(" ", args));
        }
        assertEquals(
                1,
                CanalCommand.commandLine(new String[] {"ps"}).getSubcommands().size());
    }
}
