package dev.canal.cli.oci;

import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.ContainerException;
import dev.canal.runtime.container.ContainerState;
import dev.canal.runtime.container.Containers;
import dev.canal.runtime.container.StateLock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code list}: the containers under --root, as runc's table or JSON. */
@Command(name = "list", description = "List containers.")
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    CanalOciCommand global;

    @Option(
            names = {"--format", "-f"},
            defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
            names = {"--quiet", "-q"},
            description = "Only the ids.")
    boolean quiet;

    @Override
    public Integer call() {
        Containers containers = global.containers();
        List<ContainerState> states = new ArrayList<>();
        for (String id : containers.ids()) {
            stateIfStillThere(containers, id).ifPresent(states::add);
        }
        if (quiet) {
            states.forEach(state -> System.out.println(state.id()));
        } else if (format.equals("json")) {
            System.out.println(StateJson.of(states));
        } else if (format.equals("table")) {
            System.out.printf("%-12s %-8s %-10s %-40s %-30s %s%n", "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
            for (ContainerState state : states) {
                System.out.printf(
                        "%-12s %-8d %-10s %-40s %-30s %s%n",
                        state.id(),
                        state.pid(),
                        state.status().specName(),
                        state.bundle(),
                        state.created(),
                        state.owner().isEmpty() ? "root" : state.owner());
            }
        } else {
            throw new IllegalArgumentException("--format: unknown format \"" + format + "\" (table or json)");
        }
        return 0;
    }

    /** A container deleted while the list is made is left out, as it would be a moment later. */
    private static Optional<ContainerState> stateIfStillThere(Containers containers, String id) {
        try {
            Container container = containers.load(id);
            try (StateLock lock = container.lock(StateLock.Mode.SHARED)) {
                return Optional.of(container.state());
            }
        } catch (ContainerException deleted) {
            return Optional.empty();
        }
    }
}
