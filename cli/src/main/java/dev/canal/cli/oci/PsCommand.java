package dev.canal.cli.oci;

import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.StateLock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ps}: the processes of a container, as runc's {@code ps} shows them. The container's
 * processes are those in its cgroup (host pids); {@code json} prints them as an array,
 * {@code table} runs the host's ps(1) with the options after the id (default {@code -ef}) and
 * keeps its header and the lines of those pids.
 */
@Command(name = "ps", description = "List the processes running in a container.")
final class PsCommand extends ContainerId implements Callable<Integer> {

    @Option(
            names = {"--format", "-f"},
            defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Parameters(index = "1..*", paramLabel = "PS_OPTION", description = "Options for the host's ps(1) (default: -ef).")
    List<String> psOptions = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!format.equals("table") && !format.equals("json")) {
            throw new IllegalArgumentException("--format: unknown format \"" + format + "\" (table or json)");
        }
        Container container = container();
        List<Integer> pids;
        try (StateLock lock = container.lock(StateLock.Mode.SHARED)) {
            pids = container.processes();
        }
        if (format.equals("json")) {
            System.out.println(pids.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]")));
        } else {
            System.out.print(HostPs.linesOf(pids, psOptions.isEmpty() ? List.of("-ef") : psOptions));
        }
        return 0;
    }
}
