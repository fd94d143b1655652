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
 * {@code canal start CONTAINER...}, as {@code docker start} without {@code -a}: each stopped
 * container runs again in the background, with a {@link DetachedMonitor} of its own; one that
 * runs already is left as it is. Prints each name or id as given.
 */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Start stopped containers.")
public final class StartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ContainerArguments containers;

    @Override
    public Integer call() {
        CanalCommand canal = Commands.canal(spec);
        try (Engine engine = canal.engine()) {
            return containers.forEach(
                    engine, spec.commandLine().getOut(), spec.commandLine().getErr(), record -> {
                        if (!engine.view(record).state().running()) {
                            startDetached(canal, record.id());
                        }
                    });
        }
    }

    /** Starts the container under a monitor of its own; its failure as docker words it. */
    static void startDetached(CanalCommand canal, String id) {
        DetachedMonitor.Report report = DetachedMonitor.start(canal, id);
        if (report.status() != 0) {
            throw new IllegalStateException(report.message());
        }
    }
}
