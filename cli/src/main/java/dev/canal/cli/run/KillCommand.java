package dev.canal.cli.run;

import dev.canal.cli.image.Commands;
import dev.canal.engine.Engine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code canal kill [-s SIGNAL] CONTAINER...}, as {@code docker kill}: a signal (SIGKILL by
 * default; a name as TERM or SIGTERM, or a number) to each running container's first process.
 * It does not wait for the container to end. Prints each name or id as given.
 */
@Command(name = "kill", mixinStandardHelpOptions = true, description = "Send a signal to running containers.")
public final class KillCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-s", "--signal"},
            paramLabel = "SIGNAL",
            description = "The signal (default: KILL).")
    String signal;

    @Mixin
    ContainerArguments containers;

    @Override
    public Integer call() {
        try (Engine engine = Commands.canal(spec).engine()) {
            return containers.forEach(
                    engine,
                    spec.commandLine().getOut(),
                    spec.commandLine().getErr(),
                    record -> engine.kill(record.id(), signal));
        }
    }
}
