package dev.canal.cli.run;

import dev.canal.cli.image.Commands;
import dev.canal.engine.Engine;
import dev.canal.engine.ExecSession;
import dev.canal.engine.ExecSpec;
import dev.canal.engine.ExitStatus;
import dev.canal.runtime.sys.Pseudoterminal;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

    @Mixin
    ProcessOptions process;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "Container name or id.")
    String container;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments.")
    List<String> command;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (process.refuseInputThatIsNoTerminal(err)) {
            return 1;
        }
        try (Engine engine = Commands.canal(spec).engine()) {
            var exec = new ExecSpec(
                    command,
                    process.environment(List.of()),
                    process.user,
                    process.workdir,
                    process.tty,
                    process.interactive,
                    true,
                    true,
                    false,
                    process.consoleSize());
            ExecSession session = engine.createExec(container, exec);
            try {
                engine.startExec(session.id(), new StandardStreams());
            } catch (RuntimeException e) {
                int pid = engine.inspect(container).state().pid();
                Path root = Path.of("/proc", Integer.toString(pid), "root");
                return fail(err, e.getMessage(), ExitStatus.ofFailure(e, command, root));
            }
            if (process.tty) {
                try (var terminal = TerminalSession.attach(
                        process.interactive ? session.terminal() : null,
                        (rows, columns) -> Pseudoterminal.setWindowSize(session.terminal(), rows, columns))) {
                    return session.exit().join();
                }
            }
            if (process.interactive) {
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
