package dev.canal.cli.run;

import dev.canal.cli.CanalCommand;
import dev.canal.cli.image.Commands;
import dev.canal.engine.Engine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code canal restart [-t N] CONTAINER...}, as {@code docker restart}: {@code stop} (if it
 * runs), then {@code start} with a new {@link DetachedMonitor}. Prints each name or id as given.
 */
@Command(name = "restart", mixinStandardHelpOptions = true, description = "Restart containers.")
public final class RestartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StopTimeout timeout;

    @Mixin
    ContainerArguments containers;

    @Override
    public Integer call() {
        CanalCommand canal = Commands.canal(spec);
        Integer seconds = timeout.seconds();
        try (Engine engine = canal.engine()) {
            return containers.forEach(
                    engine, spec.commandLine().getOut(), spec.commandLine().getErr(), record -> {
                        StopCommand.stop(engine, record.id(), seconds);
                        StartCommand.startDetached(canal, record.id());
                    });
        }
    }
}
