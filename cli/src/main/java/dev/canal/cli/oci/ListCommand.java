package dev.canal.cli.oci;

import dev.canal.runtime.container.ContainerState;
import dev.canal.runtime.container.Containers;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code list}: the containers under --root, as runc's table or JSON. */
@Command(name = "list", aliases = "ps", description = "List containers.")
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    CanalOciCommand global;

    @Option(names = {"--format", "-f"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"--quiet", "-q"}, description = "Only the ids.")
    boolean quiet;

    @Override
    public Integer call() {
        Containers containers = global.containers();
        List<ContainerState> states = containers.ids().stream().map(id -> containers.load(id).state()).toList();
        if (quiet) {
            states.forEach(state -> System.out.println(state.id()));
        } else if (format.equals("json")) {
            System.out.println(StateJson.of(states));
        } else if (format.equals("table")) {
            System.out.printf("%-12s %-8s %-10s %-40s %-30s %s%n", "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
            for (ContainerState state : states) {
                System.out.printf("%-12s %-8d %-10s %-40s %-30s %s%n", state.id(), state.pid(), state.status(), state.bundle(),
                        state.created(), state.owner().isEmpty() ? "root" : state.owner());
            }
        } else {
            throw new IllegalArgumentException("--format: unknown format \"" + format + "\" (table or json)");
        }
        return 0;
    }
}
