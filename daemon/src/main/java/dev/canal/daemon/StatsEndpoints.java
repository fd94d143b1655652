package dev.canal.daemon;

import dev.canal.engine.ContainerRecord;
import dev.canal.engine.Engine;
import dev.canal.engine.ResourceSample;
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

    /** One ContainerStats object; a stopped container's has zero counters, as dockerd's. */
    private ObjectNode sample(ContainerRecord record) {
        ObjectNode json = Json.object()
                .put("read", Instant.now().toString())
                .put("preread", "0001-01-01T00:00:00Z")
                .put("id", record.id())
                .put("name", "/" + record.name());
        ObjectNode cpu = json.putObject("cpu_stats");
        ObjectNode memory = json.putObject("memory_stats");
        ObjectNode pids = json.putObject("pids_stats");
        json.putObject("precpu_stats").putObject("cpu_usage").put("total_usage", 0);
        ObjectNode blkio = json.putObject("blkio_stats");
        if (!engine.view(record).state().running()) {
            cpu.putObject("cpu_usage").put("total_usage", 0);
            return json;
        }

        ResourceSample sample = engine.stats(record.id());
        CgroupStats stats = sample.cgroup();
        json.put("read", sample.read().toString());
        ObjectNode usage = cpu.putObject("cpu_usage")
                .put("total_usage", stats.cpu().usage().total())
                .put("usage_in_kernelmode", stats.cpu().usage().kernel())
                .put("usage_in_usermode", stats.cpu().usage().user());
        if (!stats.cpu().usage().percpu().isEmpty()) {
            stats.cpu().usage().percpu().forEach(usage.putArray("percpu_usage")::add);
        }
        cpu.put("system_cpu_usage", sample.hostCpuNanos()).put("online_cpus", sample.onlineCpus());
        cpu.putObject("throttling_data")
                .put("periods", stats.cpu().throttling().periods())
                .put("throttled_periods", stats.cpu().throttling().throttledPeriods())
                .put("throttled_time", stats.cpu().throttling().throttledTime());

        // memory.stat as the kernel names its keys: the CLI takes (total_)inactive_file off the
        // usage, so that page cache the kernel can drop does not count as used.
        memory.put("usage", stats.memory().usage().usage())
                .put("max_usage", stats.memory().usage().max())
                .put("failcnt", stats.memory().usage().failcnt())
                .put("limit", sample.memoryLimit());
        ObjectNode memoryStat = memory.putObject("stats");
        stats.memory().raw().forEach(memoryStat::put);

        blkio.set("io_service_bytes_recursive", blkioEntries(stats.blkio().ioServiceBytesRecursive()));
        blkio.set("io_serviced_recursive", blkioEntries(stats.blkio().ioServicedRecursive()));

        pids.put("current", stats.pids().current());
        if (stats.pids().limit() > 0L) {
            pids.put("limit", stats.pids().limit());
        }

        if (!sample.networks().isEmpty()) {
            ObjectNode networks = json.putObject("networks");
            sample.networks()
                    .forEach((name, counters) -> networks.putObject(name)
                            .put("rx_bytes", counters.rxBytes())
                            .put("rx_packets", counters.rxPackets())
                            .put("rx_errors", counters.rxErrors())
                            .put("rx_dropped", counters.rxDropped())
                            .put("tx_bytes", counters.txBytes())
                            .put("tx_packets", counters.txPackets())
                            .put("tx_errors", counters.txErrors())
                            .put("tx_dropped", counters.txDropped()));
        }

        return json;
    }

    /** BlkioStatEntry objects: {"major": 7, "minor": 0, "op": "Read", "value": 4096}. */
    private static ArrayNode blkioEntries(List<CgroupStats.BlkioEntry> entries) {
        ArrayNode array = Exchange.JSON.createArrayNode();
        for (CgroupStats.BlkioEntry entry : entries) {
            array.addObject()
                    .put("major", entry.major())
                    .put("minor", entry.minor())
                    .put("op", entry.op())
                    .put("value", entry.value());
        }
        return array;
    }
}
