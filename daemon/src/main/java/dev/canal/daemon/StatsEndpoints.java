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

final class StatsEndpoints {
    private static final long SAMPLE_MILLIS = 1000L;
    private final Engine engine;

    StatsEndpoints(Engine engine) {
        this.engine = engine;
    }

    void top(Exchange exchange) throws IOException {
        List<Integer> pids = this.engine.processes(exchange.path(0));
        ObjectNode answer = Json.object();
        answer.set("Titles", Json.array(List.of("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD")));
        ArrayNode processes = answer.putArray("Processes");

        for (int pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
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
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                long seconds = ticks / 100L;
                processes.add(Json.array(List.of(
                        uid,
                        Integer.toString(pid),
                        fields[1],
                        "0",
                        "",
                        "?",
                        String.format("%02d:%02d:%02d", seconds / 3600L, seconds / 60L % 60L, seconds % 60L),
                        command)));
            } catch (IOException var15) {
            }
        }

        exchange.json(200, answer);
    }

    void stats(Exchange exchange) throws IOException, InterruptedException {
        ContainerRecord record = this.engine.find(exchange.path(0));
        boolean stream = exchange.flag("stream", true);
        boolean oneShot = exchange.flag("one-shot", false);

        try (OutputStream out = exchange.stream(200, "application/json")) {
            ObjectNode previous = null;
            if (!oneShot) {
                previous = this.sample(record);
                Thread.sleep(1000L);
            }

            while (true) {
                ObjectNode current = this.sample(record);
                if (previous != null) {
                    current.set("precpu_stats", previous.get("cpu_stats"));
                    current.put("preread", previous.get("read").asString());
                }

                out.write((Exchange.JSON.writeValueAsString(current) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (!stream
                        || !this.engine
                                .view(this.engine.find(record.id()))
                                .state()
                                .running()) {
                    return;
                }

                previous = current;
                Thread.sleep(1000L);
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
        if (!this.engine.view(record).state().running()) {
            cpu.putObject("cpu_usage").put("total_usage", 0);
            return json;
        }

        CgroupStats stats = this.engine.stats(record.id());
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

    private static long limit(long cgroupLimit) throws IOException {
        long total = 0L;

        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                total = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024L;
            }
        }

        return cgroupLimit > 0L && cgroupLimit <= total ? cgroupLimit : total;
    }

    private static long systemCpuNanos() throws IOException {
        String first = Files.readAllLines(Path.of("/proc/stat")).getFirst();
        long ticks = 0L;
        String[] fields = first.trim().split("\\s+");

        for (int i = 1; i < Math.min(fields.length, 9); i++) {
            ticks += Long.parseLong(fields[i]);
        }

        return ticks * 10000000L;
    }
}
