package dev.canal.cli.run;

import dev.canal.cli.image.Commands;
import dev.canal.engine.Engine;
import dev.canal.engine.ExecSession;
import dev.canal.engine.ExecSpec;
import dev.canal.engine.ExitStatus;
import dev.canal.runtime.sys.Pseudoterminal;
import dev.canal.runtime.sys.TerminalModes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code canal exec [-it] [-e] [-u] [-w] CONTAINER COMMAND...}, as {@code docker exec}: a new
 * process in a running container's namespaces and cgroup, with the container's environment,
 * user and working directory unless the options say otherwise; canal waits for it and exits
 * with its status (126 if it cannot be run, 127 if it is not found, as docker's); 1 if there is
 * no such running container.
 */
@Command(name = "exec", mixinStandardHelpOptions = true, description = "Run a command in a running container.")
public final class ExecCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-i", "--interactive"},
            description = "Pass standard input to the process.")
    boolean interactive;

    @Option(
            names = {"-t", "--tty"},
            description = "Give the process a terminal.")
    boolean tty;

    @Option(
            names = {"-e", "--env"},
            paramLabel = "NAME=VALUE",
            description = "Set an environment variable.")
    List<String> env = List.of();

    @Option(
            names = {"-u", "--user"},
            paramLabel = "USER[:GROUP]",
            description = "Run as this user (name or uid) and group.")
    String user;

    @Option(
            names = {"-w", "--workdir"},
            paramLabel = "DIR",
            description = "The working directory inside the container.")
    String workdir;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "Container name or id.")
    String container;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments.")
    List<String> command;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (interactive && tty && !TerminalModes.isTerminal(0)) {
            err.println("canal: the input device is not a TTY");
            err.flush();
            return 1;
        }
        try (Engine engine = Commands.canal(spec).engine()) {
            TerminalModes.Size size = tty ? TerminalSession.callerSize() : new TerminalModes.Size(0, 0);
            var exec = new ExecSpec(
                    command,
                    env,
                    user,
                    workdir,
                    tty,
                    interactive,
                    true,
                    true,
                    false,
                    size.rows() > 0 ? List.of(size.rows(), size.columns()) : null);
            ExecSession session = engine.createExec(container, exec);
            try {
                engine.startExec(session.id(), new StandardStreams());
            } catch (RuntimeException e) {
                int pid = engine.inspect(container).state().pid();
                Path root = Path.of("/proc", Integer.toString(pid), "root");
                return fail(err, e.getMessage(), ExitStatus.ofFailure(e, command, root));
            }
            if (tty) {
                try (var terminal = TerminalSession.attach(
                        interactive ? session.terminal() : null,
                        (rows, columns) -> Pseudoterminal.setWindowSize(session.terminal(), rows, columns))) {
                    return session.exit().join();
                }
            }
            if (interactive) {
                InputCopy.start(session.input(), () -> session.input().close());
            }
            return session.exit().join();
        } catch (RuntimeException e) {
            return fail(err, e.getMessage() == null ? e.toString() : e.getMessage(), 1);
        }
    }

    private static int fail(PrintWriter err, String message, int status) {
        err.println("canal: " + message);
        err.flush();
        return status;
    }
}
