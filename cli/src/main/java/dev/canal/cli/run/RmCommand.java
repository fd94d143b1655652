package dev.canal.cli.run;

import dev.canal.cli.CanalCommand;
import dev.canal.cli.image.Commands;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code canal rm [-f] CONTAINER...}: removes stopped containers (their layer, bundle and
 * name), as {@code docker rm}; a running one only with {@code -f}, which kills it first (SIGKILL)
 * and waits for its {@code canal run} to record the end. Prints each name or id as given once
 * removed.
 */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove containers.")
public final class RmCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-f", "--force"},
            description = "Kill a running container first.")
    boolean force;

    @Mixin
    ContainerArguments containers;

    @Override
    public Integer call() {
        CanalCommand canal = Commands.canal(spec);
        var store = new ContainerStore(canal.root(), canal.images());
        var ending = new ContainerEnding(canal.containers(), store);
        return containers.forEach(
                store, spec.commandLine().getOut(), spec.commandLine().getErr(), record -> {
                    if (!force && ending.isRunning(record)) {
                        throw new IllegalStateException("cannot remove container \"" + record.name()
                                + "\": container is running: stop the container before removing or force remove");
                    }
                    ending.stop(record, Duration.ZERO);
                    ending.deleteLeftovers(record);
                    if (store.exists(record)) {
                        store.remove(record);
                    }
                });
    }
}
