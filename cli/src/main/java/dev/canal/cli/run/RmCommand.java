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
 * {@code canal rm [-f] [-v] CONTAINER...}, as {@code docker rm}: removes stopped containers
 * (their layer, directory, log and name); a running one only with {@code -f}, which kills it
 * first (SIGKILL) and waits for its monitor to record the end. Prints each name or id as given
 * once removed.
 */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove containers.")
public final class RmCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-f", "--force"},
            description = "Kill a running container first.")
    boolean force;

    @Option(
            names = {"-v", "--volumes"},
            description = "Remove the anonymous volumes it used too.")
    boolean volumes;

    @Mixin
    ContainerArguments containers;

    @Override
    public Integer call() {
        try (Engine engine = Commands.canal(spec).engine()) {
            return containers.forEach(
                    engine,
                    spec.commandLine().getOut(),
                    spec.commandLine().getErr(),
                    record -> engine.remove(record.id(), force, volumes));
        }
    }
}
