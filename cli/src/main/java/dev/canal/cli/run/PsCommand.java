package dev.canal.cli.run;

import dev.canal.cli.CanalCommand;
import dev.canal.cli.TextTable;
import dev.canal.cli.image.Commands;
import dev.canal.cli.image.HumanUnits;
import dev.canal.runtime.container.ContainerException;
import dev.canal.runtime.container.ContainerStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code canal ps [-a]}: the containers {@code canal run} made, as {@code docker ps} lists them.
 * A container is running while the runtime has state for it (under {@code --state}); a stopped
 * one shows the exit status its {@code run} recorded.
 */
@Command(name = "ps", mixinStandardHelpOptions = true, description = "List containers (running ones; -a: all).")
public final class PsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-a", "--all"},
            description = "Show stopped containers too.")
    boolean all;

    @Option(
            names = {"-q", "--quiet"},
            description = "Print only the ids.")
    boolean quiet;

    @Override
    public Integer call() {
        CanalCommand canal = Commands.canal(spec);
        var store = new ContainerStore(canal.root(), canal.images());
        Instant now = Instant.now();
        var rows = new ArrayList<String[]>();
        rows.add(new String[] {"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "NAMES"});
        for (ContainerRecord record : store.list()) {
            String status = status(canal, record, now);
            if (!all && !status.startsWith("Up")) {
                continue;
            }
            if (quiet) {
                spec.commandLine().getOut().println(record.id().substring(0, 12));
                continue;
            }
            rows.add(new String[] {
                record.id().substring(0, 12),
                record.image(),
                quotedCommand(record),
                HumanUnits.ago(record.created(), now),
                status,
                record.name()
            });
        }
        if (!quiet) {
            TextTable.print(rows, spec.commandLine().getOut());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** {@code Up 3 seconds}, {@code Exited (0) 2 minutes ago} or {@code Created}, as docker words them. */
    static String status(CanalCommand canal, ContainerRecord record, Instant now) {
        if (record.exitCode() != null) {
            return "Exited (" + record.exitCode() + ") " + HumanUnits.ago(record.finished(), now);
        }
        try {
            ContainerStatus status = canal.containers().load(record.id()).status();
            if (status == ContainerStatus.RUNNING) {
                return "Up " + HumanUnits.ago(record.created(), now).replaceFirst(" ago$", "");
            }
            return status == ContainerStatus.CREATED ? "Created" : "Exited";
        } catch (ContainerException noState) {
            return "Created";
        }
    }

    /** The command, quoted and cut to 20 characters as docker ps shows it. */
    private static String quotedCommand(ContainerRecord record) {
        String command = String.join(" ", record.command());
        return "\"" + (command.length() > 20 ? command.substring(0, 19) + "…" : command) + "\"";
    }
}
