package dev.canal.cli.oci;

import dev.canal.runtime.cgroup.Cgroup;
import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.ContainerStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code events}: runc's event stream, one JSON object per line. {@code --stats} prints the
 * cgroup's counters once ({@code {"type":"stats","id":...,"data":{...}}}, the data in
 * {@code runc events --stats}'s shape); otherwise stats every {@code --interval}, and
 * {@code {"type":"oom","id":...}} whenever the cgroup's OOM-kill count grows, until the
 * container stops.
 */
@Command(name = "events", description = "Print a container's resource usage and OOM events as JSON lines.")
final class EventsCommand extends ContainerId implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** How often the loop notices that the container has stopped. */
    private static final Duration STATUS_CHECK = Duration.ofMillis(100);

    @Option(names = "--stats", description = "Print the statistics once and exit.")
    boolean statsOnce;

    @Option(
            names = "--interval",
            paramLabel = "SECONDS",
            defaultValue = "5",
            description = "Seconds between statistics (default: ${DEFAULT-VALUE}).")
    double intervalSeconds;

    @Override
    public Integer call() throws InterruptedException {
        if (intervalSeconds <= 0) {
            throw new IllegalArgumentException("events --interval " + intervalSeconds + ": must be greater than 0");
        }
        Container container = container();
        Cgroup cgroup = container.cgroup();
        print("stats", cgroup.stats());
        if (statsOnce) {
            return 0;
        }
        Duration interval = Duration.ofMillis((long) (intervalSeconds * 1000));
        // Between checks of the status, wait for an OOM kill at most this long.
        Duration watch = interval.compareTo(STATUS_CHECK) < 0 ? interval : STATUS_CHECK;
        long oomKills = cgroup.oomKillCount();
        long nextStats = System.nanoTime() + interval.toNanos();
        while (container.status() != ContainerStatus.STOPPED) {
            if (cgroup.awaitOomKill(oomKills, watch)) {
                oomKills = cgroup.oomKillCount();
                print("oom", null);
            }
            if (System.nanoTime() >= nextStats) {
                print("stats", cgroup.stats());
                nextStats += interval.toNanos();
            }
        }
        return 0;
    }

    private void print(String type, Object data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("id", id);
        if (data != null) {
            event.put("data", data);
        }
        System.out.println(JSON.writeValueAsString(event));
        System.out.flush();
    }
}
