package dev.canal.cli.run;

import dev.canal.cli.CanalCommand;
import dev.canal.cli.image.Commands;
import dev.canal.runtime.container.ContainerException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code canal rm [-f] CONTAINER...}: removes stopped containers (their layer, bundle and
 * name), as {@code docker rm}; with {@code -f} a running one is killed first (SIGKILL, its
 * cgroup and runtime state removed). Prints each name or id as given once removed.
 */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove containers.")
public final class RmCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-f", "--force"},
            description = "Kill a running container first.")
    boolean force;

    @Parameters(
            arity = "1..*",
            paramLabel = "CONTAINER",
            description = "Container names or ids (or unique id prefixes).")
    List<String> containers;

    @Override
    public Integer call() {
        CanalCommand canal = Commands.canal(spec);
        var store = new ContainerStore(canal.root(), canal.images());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int status = 0;
        for (String given : containers) {
            try {
                ContainerRecord record = store.find(given);
                stopIfRunning(canal, record);
                store.remove(record);
                out.println(given);
            } catch (RuntimeException e) {
                err.println("canal: rm " + given + ": " + e.getMessage());
                status = 1;
            }
        }
        out.flush();
        err.flush();
        return status;
    }

    private void stopIfRunning(CanalCommand canal, ContainerRecord record) {
        var runtime = canal.containers();
        if (!runtime.ids().contains(record.id())) {
            return;
        }
        try {
            runtime.load(record.id()).delete(force);
        } catch (ContainerException e) {
            throw new IllegalStateException("container " + record.name() + " is running: stop it first, or rm -f", e);
        }
    }
}
