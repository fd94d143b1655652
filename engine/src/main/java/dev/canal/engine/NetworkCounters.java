package dev.canal.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container's network traffic, per interface, for {@code docker stats}' NET I/O: the
 * /proc/PID/net/dev of its first process, which shows the interfaces of that process's network
 * namespace (proc(5)). Loopback is left out, as dockerd reports only the container's endpoints.
 */
final class NetworkCounters {

    /** /proc/net/dev's two header lines, before one line per interface. */
    private static final int HEADER_LINES = 2;

    /** The transmit columns start after the eight receive ones (bytes packets errs drop fifo frame compressed multicast). */
    private static final int TRANSMIT = 8;

    private NetworkCounters() {}

    /**
     * The counters of {@code pid}'s network namespace; none when it is this process's own (a
     * container on the host's network, whose traffic is the machine's) or the process is gone.
     */
    static Map<String, ResourceSample.InterfaceCounters> of(int pid) {
        var counters = new TreeMap<String, ResourceSample.InterfaceCounters>();
        Path proc = Path.of("/proc", Integer.toString(pid));
        try {
            if (Files.readSymbolicLink(proc.resolve("ns/net"))
                    .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")))) {
                return counters;
            }
            List<String> lines = Files.readAllLines(proc.resolve("net/dev"));
            for (String line : lines.subList(Math.min(HEADER_LINES, lines.size()), lines.size())) {
                String name = line.substring(0, line.indexOf(':')).strip();
                if (name.equals("lo")) {
                    continue;
                }
                String[] column = line.substring(line.indexOf(':') + 1).strip().split("\\s+");
                counters.put(
                        name,
                        new ResourceSample.InterfaceCounters(
                                Long.parseLong(column[0]),
                                Long.parseLong(column[1]),
                                Long.parseLong(column[2]),
                                Long.parseLong(column[3]),
                                Long.parseLong(column[TRANSMIT]),
                                Long.parseLong(column[TRANSMIT + 1]),
                                Long.parseLong(column[TRANSMIT + 2]),
                                Long.parseLong(column[TRANSMIT + 3])));
            }
        } catch (IOException exitedMeanwhile) {
            counters.clear();
        }
        return counters;
    }
}
