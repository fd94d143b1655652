package dev.canal.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A word where a command was expected ({@code canal network ls}, {@code canal image tag}),
 * reported as docker reports it: two lines, no usage dump and no guessed hints, exit status 1:
 *
 * <pre>
 * canal: 'network' is not a canal command.
 * See 'canal --help'.
 * </pre>
 */
final class UnknownCommand {

    private UnknownCommand() {}

    /** Reports {@code error} and returns the exit status when it is an unknown command; else null. */
    static Integer report(CommandLine.ParameterException error) {
        if (!(error instanceof UnmatchedArgumentException unmatched)) {
            return null;
        }
        CommandLine commandLine = error.getCommandLine();
        List<String> words = unmatched.getUnmatched();
        if (commandLine.getSubcommands().isEmpty()
                || words.isEmpty()
                || words.getFirst().startsWith("-")) {
            return null;
        }
        CommandSpec group = commandLine.getCommandSpec();
        String parents = group.parent() == null
                ? ""
                : group.qualifiedName().substring(group.root().name().length() + 1) + " ";
        PrintWriter err = commandLine.getErr();
        err.println("canal: '" + parents + words.getFirst() + "' is not a canal command.");
        err.println("See '" + group.qualifiedName() + " --help'.");
        err.flush();
        return 1;
    }
}
