package dev.canal.cli.oci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The host's ps(1), cut down to some processes, as runc's {@code ps} does it: ps runs with the
 * caller's options, and of its output the header stays, and each line whose PID column holds
 * one of the pids. Only the command line runs a host program; the runtime library never does.
 */
final class HostPs {

    private HostPs() {}

    /** The header and the lines of {@code pids} that {@code ps OPTIONS...} prints, each ending in a newline. */
    static String linesOf(Collection<Integer> pids, List<String> options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ps"));
        command.addAll(options);
        Process ps = new ProcessBuilder(command).redirectErrorStream(true).start();
        ps.getOutputStream().close();
        String output = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = ps.waitFor();
        List<String> lines = output.lines().toList();
        if (status != 0) {
            throw new IllegalArgumentException(String.join(" ", command) + ": exit status " + status
                    + (lines.isEmpty() ? "" : ": " + lines.getFirst().strip()));
        }
        if (lines.isEmpty()) {
            throw new IllegalStateException(String.join(" ", command) + ": printed nothing");
        }
        int pidColumn = List.of(fields(lines.getFirst())).indexOf("PID");
        if (pidColumn < 0) {
            throw new IllegalArgumentException(String.join(" ", command) + ": its output has no PID column");
        }
        var kept = new StringBuilder(lines.getFirst()).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = fields(line);
            if (fields.length > pidColumn && pids.contains(pid(fields[pidColumn], line))) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }

    private static String[] fields(String line) {
        String stripped = line.strip();
        return stripped.isEmpty() ? new String[0] : stripped.split("\\s+");
    }

    private static int pid(String field, String line) {
        try {
            return Integer.parseInt(field);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("ps: no pid in the PID column of \"" + line.strip() + "\"");
        }
    }
}
