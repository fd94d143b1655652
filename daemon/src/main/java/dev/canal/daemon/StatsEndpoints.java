package dev.canal.daemon;

import dev.canal.engine.ContainerRecord;
import dev.canal.engine.Engine;
import dev.canal.runtime.cgroup.CgroupStats;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code docker top} and {@code docker stats}: the container's processes from /proc (proc(5)), and
 * its resource use from its cgroup, in the shapes of ContainerTop and ContainerStats
 * (https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Container/operation/ContainerStats).
 */
final class StatsEndpoints {
    /** dockerd samples once a second; the CLI's CPU % is the difference between two samples. */
    private static final long SAMPLE_MILLIS = 1000L;

    /** USER_HZ, the unit of /proc/PID/stat's times: 100 on every Linux ABI (proc(5)). */
    private static final long TICKS_PER_SECOND = 100L;

    private static final long NANOS_PER_TICK = 1_000_000_000L / TICKS_PER_SECOND;

    private final Engine engine;

    StatsEndpoints(Engine engine) {
        this.engine = engine;
    }

    /** ps(1)'s columns, as dockerd runs ps -ef in the container's pid namespace; STIME left empty. */
    void top(Exchange exchange) throws IOException {
        List<Integer> pids = engine.processes(exchange.path(0));
        ObjectNode answer = Json.object();
        answer.set("Titles", Json.array(List.of("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD")));
        ArrayNode processes = answer.putArray("Processes");

        for (int pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
                // The command name in parentheses may hold spaces: fields are counted after the last ')'.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                String uid = "0";

                for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
                    if (line.startsWith("Uid:")) {
                        uid = line.split("\\s+")[1];
                    }
                }

                String command = new String(
                                Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "cmdline")),
                                StandardCharsets.UTF_8)
                        .replace('\u0000', ' ')
                        .strip();
                // utime and stime, fields 14 and 15 of proc(5)'s numbering.
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                long seconds = ticks / TICKS_PER_SECOND;
                processes.add(Json.array(List.of(
                        uid,
                        Integer.toString(pid),
                        fields[1],
                        "0",
                        "",
                        "?",
                        String.format("%02d:%02d:%02d", seconds / 3600L, seconds / 60L % 60L, seconds % 60L),
                        command)));
            } catch (IOException exitedMeanwhile) {
                // not in the list, as ps would not show it
            }
        }

        exchange.json(200, answer);
    }

    void stats(Exchange exchange) throws IOException, InterruptedException {
        ContainerRecord record = engine.find(exchange.path(0));
        boolean stream = exchange.flag("stream", true);
        boolean oneShot = exchange.flag("one-shot", false);

        try (OutputStream out = exchange.stream(200, "application/json")) {
            // The first answer carries a previous sample too (precpu_stats), so that even
            // docker stats --no-stream can show a CPU percentage; one-shot skips it, as dockerd does.
            ObjectNode previous = null;
            if (!oneShot) {
                previous = sample(record);
                Thread.sleep(SAMPLE_MILLIS);
            }

            while (true) {
                ObjectNode current = sample(record);
                if (previous != null) {
                    current.set("precpu_stats", previous.get("cpu_stats"));
                    current.put("preread", previous.get("read").asString());
                }

                out.write((Exchange.JSON.writeValueAsString(current) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (!stream || !engine.view(engine.find(record.id())).state().running()) {
                    return;
                }

                previous = current;
                Thread.sleep(SAMPLE_MILLIS);
            }
        }
    }

    private ObjectNode sample(ContainerRecord record) throws IOException {
        ObjectNode json = Json.object()
                .put("read", Instant.now().toString())
                .put("preread", "0001-01-01T00:00:00Z")
                .put("id", record.id())
                .put("name", "/" + record.name());
        ObjectNode cpu = json.putObject("cpu_stats");
        ObjectNode memory = json.putObject("memory_stats");
        ObjectNode pids = json.putObject("pids_stats");
        json.putObject("precpu_stats").putObject("cpu_usage").put("total_usage", 0);
        json.putObject("blkio_stats");
        if (!engine.view(record).state().running()) {
            cpu.putObject("cpu_usage").put("total_usage", 0);
            return json;
        }

        CgroupStats stats = engine.stats(record.id());
        cpu.putObject("cpu_usage")
                .put("total_usage", stats.cpu().usage().total())
                .put("usage_in_kernelmode", stats.cpu().usage().kernel())
                .put("usage_in_usermode", stats.cpu().usage().user());
        cpu.put("system_cpu_usage", systemCpuNanos())
                .put("online_cpus", Runtime.getRuntime().availableProcessors());
        memory.put("usage", stats.memory().usage().usage())
                .put("limit", limit(stats.memory().usage().limit()));
        memory.putObject("stats");
        pids.put("current", stats.pids().current());
        if (stats.pids().limit() > 0L) {
            pids.put("limit", stats.pids().limit());
        }

        return json;
    }

    /** The memory limit the CLI shows: the cgroup's, or the machine's memory when it has none (or a larger one). */
    private static long limit(long cgroupLimit) {
        long total = SystemEndpoints.memTotal();
        return cgroupLimit > 0L && cgroupLimit <= total ? cgroupLimit : total;
    }

    /**
     * The host's CPU time, the denominator of the CLI's CPU %: the first eight columns of the
     * "cpu" line of /proc/stat (user to steal), in ticks.
     */
    private static long systemCpuNanos() throws IOException {
        String first = Files.readAllLines(Path.of("/proc/stat")).getFirst();
        long ticks = 0L;
        String[] fields = first.trim().split("\\s+");

        for (int i = 1; i < Math.min(fields.length, 9); i++) {
            ticks += Long.parseLong(fields[i]);
        }

        return ticks * NANOS_PER_TICK;
    }
}
