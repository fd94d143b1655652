package dev.canal.cli.run;

import dev.canal.cli.image.Commands;
import dev.canal.engine.Engine;
import dev.canal.engine.NotModifiedException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code canal stop [-t N] CONTAINER...}, as {@code docker stop}: the container's stop signal
 * (SIGTERM unless it was created with another) to its first process, and SIGKILL if it still
 * runs N seconds later (its stop timeout, 10 by default); returns once its monitor has recorded
 * the exit, and prints each name or id as given. A stopped container is left as it is.
 */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop running containers.")
public final class StopCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StopTimeout timeout;

    @Mixin
    ContainerArguments containers;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Integer seconds = timeout.seconds();
        try (Engine engine = Commands.canal(spec).engine()) {
            return containers.forEach(
                    engine, spec.commandLine().getOut(), err, record -> stop(engine, record.id(), seconds));
        }
    }

    /** Stops the container; one that is not running is left as it is, as docker stop does. */
    static void stop(Engine engine, String id, Integer timeout) {
        try {
            engine.stop(id, timeout);
        } catch (NotModifiedException alreadyStopped) {
            // docker stop of a stopped container succeeds and prints its name.
        }
    }
}
