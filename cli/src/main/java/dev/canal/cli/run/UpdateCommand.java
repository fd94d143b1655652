package dev.canal.cli.run;

import dev.canal.cli.image.Commands;
import dev.canal.engine.Engine;
import dev.canal.engine.Resources;
import dev.canal.engine.RestartPolicy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code canal update [OPTIONS] CONTAINER...}, as {@code docker update}: new cgroup limits
 * ({@link LimitOptions}) or restart policy for each container. A running container's cgroup
 * changes at once; the container's record keeps them for its next start. What is not given
 * stays as it was.
 */
@Command(
        name = "update",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        description = "Update the resource limits or restart policy of containers.")
public final class UpdateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    LimitOptions limits;

    @Option(names = "--restart", paramLabel = "POLICY", description = "no, on-failure[:N], always or unless-stopped.")
    String restart;

    @Mixin
    ContainerArguments containers;

    @Override
    public Integer call() {
        Resources update = limits.resources();
        if (update.equals(Resources.NONE) && restart == null) {
            throw new IllegalArgumentException("update: you must provide one or more flags when using this command");
        }
        RestartPolicy policy = restart == null ? null : RestartPolicy.parse(restart);
        try (Engine engine = Commands.canal(spec).engine()) {
            return containers.forEach(
                    engine,
                    spec.commandLine().getOut(),
                    spec.commandLine().getErr(),
                    record -> engine.update(record.id(), update, policy));
        }
    }
}
