package dev.canal.cli.run;

import dev.canal.cli.TextTable;
import dev.canal.cli.image.Commands;
import dev.canal.engine.ContainerRecord;
import dev.canal.engine.ContainerView;
import dev.canal.engine.Engine;
import dev.canal.engine.ResourceSample;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code canal stats [--no-stream] [CONTAINER...]}, as {@code docker stats}: each container's CPU
 * %, memory use and limit, network and block I/O and pids, read from its cgroup once a second
 * (the engine's {@link ResourceSample}, what canald serves the docker CLI) and refreshed in
 * place until interrupted, or printed once with {@code --no-stream}. Without names it shows the
 * running containers, as they come and go.
 */
@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description = "Show containers' resource use (running ones, or those named), live.")
public final class StatsCommand implements Callable<Integer> {

    /** dockerd's sampling interval: a CPU % is the CPU time used over this second. */
    private static final long INTERVAL_MILLIS = 1000;

    /** ECMA-48's ED (erase display) and CUP (cursor home), as the docker CLI clears between refreshes. */
    private static final String CLEAR_SCREEN = "\033[2J\033[H";

    private static final String[] HEADER = {
        "CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS"
    };

    @Spec
    CommandSpec spec;

    @Option(names = "--no-stream", description = "Print one reading and exit.")
    boolean noStream;

    @Parameters(
            paramLabel = "CONTAINER",
            arity = "0..*",
            description = "Container names or ids (default: the running ones).")
    List<String> containers = List.of();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try (Engine engine = Commands.canal(spec).engine()) {
            // Names are resolved first: one that does not exist fails before anything is shown.
            List<ContainerRecord> named = containers.stream().map(engine::find).toList();
            Map<String, ResourceSample> previous = samples(engine, shown(engine, named));
            while (true) {
                Thread.sleep(INTERVAL_MILLIS);
                List<ContainerRecord> shown = shown(engine, named);
                Map<String, ResourceSample> current = samples(engine, shown);
                var rows = new ArrayList<String[]>();
                rows.add(HEADER);
                for (ContainerRecord record : shown) {
                    rows.add(row(record, previous.get(record.id()), current.get(record.id())));
                }
                if (!noStream) {
                    out.print(CLEAR_SCREEN);
                }
                TextTable.print(rows, out);
                if (noStream) {
                    return 0;
                }
                previous = current;
            }
        }
    }

    /** The named containers, or without names the ones running now. */
    private static List<ContainerRecord> shown(Engine engine, List<ContainerRecord> named) {
        return named.isEmpty()
                ? engine.list(false).stream().map(ContainerView::record).toList()
                : named;
    }

    /** A reading of each of {@code records} that runs, by id. */
    private static Map<String, ResourceSample> samples(Engine engine, List<ContainerRecord> records) {
        var samples = new HashMap<String, ResourceSample>();
        for (ContainerRecord record : records) {
            if (engine.view(record).state().running()) {
                try {
                    samples.put(record.id(), engine.stats(record.id()));
                } catch (RuntimeException stoppedMeanwhile) {
                    // shown as stopped
                }
            }
        }
        return samples;
    }

    private static String[] row(ContainerRecord record, ResourceSample previous, ResourceSample current) {
        StatsRow row = previous == null || current == null ? StatsRow.STOPPED : StatsRow.between(previous, current);
        var cells = new ArrayList<>(List.of(record.shortId(), record.name()));
        cells.addAll(row.cells());
        return cells.toArray(String[]::new);
    }
}
