package dev.canal.cli.run;

import dev.canal.cli.CanalCommand;
import dev.canal.cli.image.Commands;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code canal stop [-t N] CONTAINER...}: as {@code docker stop}, SIGTERM to the container's
 * first process, and SIGKILL if it still runs N seconds later (10 by default); returns once its
 * {@code canal run} has recorded the exit, and prints each name or id as given. A stopped
 * container is left as it is.
 */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop running containers.")
public final class StopCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-t", "--timeout", "--time"},
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "Seconds to wait after SIGTERM before SIGKILL (default: 10).")
    int timeout;

    @Mixin
    ContainerArguments containers;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (timeout < 0) {
            err.println("canal: stop -t " + timeout + ": the timeout must be 0 or more seconds");
            err.flush();
            return 1;
        }
        CanalCommand canal = Commands.canal(spec);
        var store = new ContainerStore(canal.root(), canal.images());
        var ending = new ContainerEnding(canal.containers(), store);
        return containers.forEach(store, out, err, record -> ending.stop(record, Duration.ofSeconds(timeout)));
    }
}
