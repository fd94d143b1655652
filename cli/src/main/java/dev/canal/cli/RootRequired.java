package dev.canal.cli;

import dev.canal.cli.image.ImageCommand;
import dev.canal.runtime.sys.Processes;
import java.io.PrintWriter;
import java.util.function.IntSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParseResult;

/**
 * {@code canal} needs root: containers need namespaces, mounts and cgroups, and the image store
 * under /var/lib/canal is root's. Checked once the command line is parsed and before the command
 * runs, so a user without root gets one line saying so instead of the first thing that failed
 * (a blob it could not read, a mount it could not make). Help, the version and the bare usage
 * need no root. Exit status as docker's when its daemon cannot be reached: 125 for {@code run}
 * (its failures of canal's own are 125), 1 for the others.
 */
final class RootRequired implements IExecutionStrategy {

    private final IExecutionStrategy next;
    private final IntSupplier effectiveUid;

    RootRequired(IExecutionStrategy next, IntSupplier effectiveUid) {
        this.next = next;
        this.effectiveUid = effectiveUid;
    }

    /**
     * Before {@code next}: the effective user id from geteuid(2), through the sys layer's one
     * downcall shape (jextract's own handle would be a second shape to link: docs/start-time.md).
     */
    static RootRequired before(IExecutionStrategy next) {
        return new RootRequired(next, Processes::effectiveUid);
    }

    @Override
    public int execute(ParseResult parseResult) {
        CommandLine command = leaf(parseResult).commandSpec().commandLine();
        if (!needsRoot(parseResult) || effectiveUid.getAsInt() == 0) {
            return next.execute(parseResult);
        }
        PrintWriter err = command.getErr();
        err.println("canal: canal needs root (namespaces, mounts, cgroups and the store under /var/lib/canal): "
                + "run it as root, e.g. sudo " + command.getCommandSpec().qualifiedName());
        err.flush();
        return command.getCommandName().equals("run") ? 125 : 1;
    }

    /** Whether the command that would run does any work: not help, the version, or a group's usage. */
    static boolean needsRoot(ParseResult parseResult) {
        for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
            if (level.isUsageHelpRequested() || level.isVersionHelpRequested()) {
                return false;
            }
        }
        Object command = leaf(parseResult).commandSpec().userObject();
        return !(command instanceof CanalCommand || command instanceof ImageCommand);
    }

    private static ParseResult leaf(ParseResult parseResult) {
        ParseResult leaf = parseResult;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        return leaf;
    }
}
