package dev.canal.cli.run;

import dev.canal.cli.TextTable;
import dev.canal.cli.image.Commands;
import dev.canal.cli.image.HumanUnits;
import dev.canal.engine.ContainerRecord;
import dev.canal.engine.ContainerView;
import dev.canal.engine.Engine;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code canal ps [-a] [-q]}, as {@code docker ps}: the engine's containers, whoever made them
 * ({@code canal run}, or the docker CLI through canald), newest first. A container runs while its
 * monitor holds its run lock or the runtime has a live process for it; a stopped one shows the
 * exit status its monitor recorded.
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
        PrintWriter out = spec.commandLine().getOut();
        Instant now = Instant.now();
        var rows = new ArrayList<String[]>();
        rows.add(new String[] {"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "NAMES"});
        try (Engine engine = Commands.canal(spec).engine()) {
            for (ContainerView view : engine.list(all)) {
                ContainerRecord record = view.record();
                rows.add(new String[] {
                    record.shortId(),
                    record.image(),
                    quotedCommand(record),
                    HumanUnits.ago(record.created(), now),
                    status(view, now),
                    record.name()
                });
            }
        }
        if (quiet) {
            rows.stream().skip(1).forEach(row -> out.println(row[0]));
        } else {
            TextTable.print(rows, out);
        }
        out.flush();
        return 0;
    }

    /** {@code Up 3 seconds}, {@code Exited (0) 2 minutes ago}, {@code Created}, as docker words them. */
    private static String status(ContainerView view, Instant now) {
        ContainerView.State state = view.state();
        ContainerRecord record = view.record();
        if (state.restarting()) {
            return "Restarting (" + state.exitCode() + ") " + HumanUnits.ago(record.finished(), now);
        }
        if (state.running()) {
            String up = "Up " + HumanUnits.ago(record.started(), now).replaceFirst(" ago$", "");
            return state.paused() ? up + " (Paused)" : up;
        }
        if (state.status().equals("created")) {
            return "Created";
        }
        return "Exited (" + state.exitCode() + ") " + HumanUnits.ago(record.finished(), now);
    }

    /** The command, quoted and cut to 20 characters as docker ps shows it. */
    private static String quotedCommand(ContainerRecord record) {
        String command = String.join(" ", record.command());
        return "\"" + (command.length() > 20 ? command.substring(0, 19) + "…" : command) + "\"";
    }
}
