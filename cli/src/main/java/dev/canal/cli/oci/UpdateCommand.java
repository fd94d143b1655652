package dev.canal.cli.oci;

import dev.canal.cli.ByteSize;
import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.StateLock;
import dev.canal.runtime.oci.Resources;
import dev.canal.runtime.oci.SpecReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code update}: change a running container's cgroup limits, from a {@code linux.resources}
 * object ({@code --resources FILE}, or {@code -} for standard input) or runc's flags. Only the
 * fields given are written; the cgroup checks them all before it writes any.
 */
@Command(name = "update", description = "Change the resource limits of a container.")
final class UpdateCommand extends ContainerId implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Option(
            names = {"-r", "--resources"},
            paramLabel = "FILE",
            description = "A linux.resources object as JSON; - reads it from standard input.")
    String resourcesFile;

    @Option(
            names = {"-m", "--memory"},
            paramLabel = "SIZE",
            description = "Memory limit (bytes, or with k, m, g).")
    String memory;

    @Option(names = "--memory-swap", paramLabel = "SIZE", description = "Memory plus swap limit.")
    String memorySwap;

    @Option(names = "--memory-reservation", paramLabel = "SIZE", description = "Memory soft limit.")
    String memoryReservation;

    @Option(names = "--cpu-shares", paramLabel = "N", description = "CPU shares (relative weight).")
    Long cpuShares;

    @Option(names = "--cpu-quota", paramLabel = "MICROSECONDS", description = "CPU time per period.")
    Long cpuQuota;

    @Option(names = "--cpu-period", paramLabel = "MICROSECONDS", description = "CPU CFS period.")
    Long cpuPeriod;

    @Option(names = "--cpuset-cpus", paramLabel = "LIST", description = "CPUs to run on (0-3, 0,1).")
    String cpusetCpus;

    @Option(names = "--cpuset-mems", paramLabel = "LIST", description = "Memory nodes to allocate from.")
    String cpusetMems;

    @Option(names = "--pids-limit", paramLabel = "N", description = "Maximum number of tasks.")
    Long pidsLimit;

    @Override
    public Integer call() {
        Resources resources = resources();
        Container container = container();
        try (StateLock lock = container.lock(StateLock.Mode.EXCLUSIVE)) {
            container.cgroup().update(resources);
        }
        return 0;
    }

    private Resources resources() {
        if (resourcesFile != null) {
            return SpecReader.parseResources(
                    read(resourcesFile), resourcesFile.equals("-") ? "standard input" : resourcesFile);
        }
        ObjectNode resources = JSON.createObjectNode();
        if (memory != null || memorySwap != null || memoryReservation != null) {
            ObjectNode node = resources.putObject("memory");
            putSize(node, "limit", memory, "--memory");
            putSize(node, "swap", memorySwap, "--memory-swap");
            putSize(node, "reservation", memoryReservation, "--memory-reservation");
        }
        if (cpuShares != null || cpuQuota != null || cpuPeriod != null || cpusetCpus != null || cpusetMems != null) {
            ObjectNode cpu = resources.putObject("cpu");
            if (cpuShares != null) {
                cpu.put("shares", cpuShares);
            }
            if (cpuQuota != null) {
                cpu.put("quota", cpuQuota);
            }
            if (cpuPeriod != null) {
                cpu.put("period", cpuPeriod);
            }
            if (cpusetCpus != null) {
                cpu.put("cpus", cpusetCpus);
            }
            if (cpusetMems != null) {
                cpu.put("mems", cpusetMems);
            }
        }
        if (pidsLimit != null) {
            resources.putObject("pids").put("limit", pidsLimit);
        }
        if (resources.isEmpty()) {
            throw new IllegalArgumentException("update: give --resources or at least one limit");
        }
        return SpecReader.parseResources(JSON.writeValueAsString(resources), "update");
    }

    /** runc's sizes: -1 is unlimited, otherwise docker's byte sizes. */
    private static void putSize(ObjectNode node, String field, String text, String option) {
        if (text != null) {
            node.put(field, text.equals("-1") ? -1 : ByteSize.parse(text, option));
        }
    }

    private static String read(String file) {
        try {
            return file.equals("-")
                    ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("update --resources " + file + ": " + e.getMessage(), e);
        }
    }
}
