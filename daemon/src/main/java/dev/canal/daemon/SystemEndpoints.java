package dev.canal.daemon;

import dev.canal.engine.ContainerView;
import dev.canal.engine.Engine;
import dev.canal.engine.Events.Event;
import dev.canal.engine.VolumeStore.Info;
import dev.canal.images.ImageSummary;
import dev.canal.runtime.cgroup.CgroupLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields.Mutable;
import org.eclipse.jetty.http.HttpHeader;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

final class SystemEndpoints {
    private final Engine engine;
    private final DaemonInfo daemon;

    SystemEndpoints(Engine engine, DaemonInfo daemon) {
        this.engine = engine;
        this.daemon = daemon;
    }

    void register(Routes routes) {
        routes.add("GET", "/_ping", this::ping)
                .add("HEAD", "/_ping", this::ping)
                .add("GET", "/version", this::version)
                .add("GET", "/info", this::info)
                .add("GET", "/events", this::events)
                .add("GET", "/system/df", this::diskUsage);
    }

    private void ping(Exchange exchange) {
        Mutable headers = exchange.response.getHeaders();
        headers.put("OSType", "linux");
        headers.put("Docker-Experimental", "false");
        headers.put("Builder-Version", "1");
        headers.put(HttpHeader.CACHE_CONTROL, "no-cache, no-store, must-revalidate");
        headers.put(HttpHeader.PRAGMA, "no-cache");
        exchange.text(200, "OK");
    }

    private void version(Exchange exchange) {
        ObjectNode version = Json.object();
        version.putObject("Platform").put("Name", "Canal");
        version.putArray("Components")
                .addObject()
                .put("Name", "Engine")
                .put("Version", "0.1.0")
                .putObject("Details")
                .put("ApiVersion", "1.50")
                .put("MinAPIVersion", "1.24")
                .put("Os", "linux")
                .put("Arch", "amd64")
                .put("KernelVersion", kernel());
        version.put("Version", "0.1.0")
                .put("ApiVersion", "1.50")
                .put("MinAPIVersion", "1.24")
                .put("GitCommit", "canal")
                .put("GoVersion", "java" + Runtime.version().feature())
                .put("Os", "linux")
                .put("Arch", "amd64")
                .put("KernelVersion", kernel())
                .put("BuildTime", this.daemon.started().toString());
        exchange.json(200, version);
    }

    private void info(Exchange exchange) throws IOException {
        List<ContainerView> containers = this.engine.list(true);
        long running = containers.stream()
                .filter(view -> view.state().running() && !view.state().paused())
                .count();
        long paused = containers.stream().filter(view -> view.state().paused()).count();
        CgroupLayout layout = CgroupLayout.detect();
        ObjectNode info = Json.object()
                .put("ID", this.daemon.id())
                .put("Containers", containers.size())
                .put("ContainersRunning", running)
                .put("ContainersPaused", paused)
                .put("ContainersStopped", containers.size() - running - paused)
                .put("Images", this.engine.images().list().size())
                .put("Driver", "overlay")
                .put("MemoryLimit", true)
                .put("SwapLimit", layout.limitsOnV2())
                .put("CpuCfsPeriod", true)
                .put("CpuCfsQuota", true)
                .put("PidsLimit", true)
                .put("OomKillDisable", false)
                .put("KernelVersion", kernel())
                .put("OperatingSystem", operatingSystem())
                .put("OSType", "linux")
                .put("Architecture", "x86_64")
                .put("NCPU", Runtime.getRuntime().availableProcessors())
                .put("MemTotal", memTotal())
                .put("DockerRootDir", this.daemon.dataRoot().toString())
                .put(
                        "Name",
                        Files.readString(Path.of("/proc/sys/kernel/hostname")).strip())
                .put("ServerVersion", "0.1.0")
                .put("CgroupDriver", "cgroupfs")
                .put("CgroupVersion", layout.limitsOnV2() ? "2" : "1")
                .put("DefaultRuntime", "canal")
                .put("LiveRestoreEnabled", this.daemon.liveRestore())
                .put("LoggingDriver", "json-file")
                .put("IndexServerAddress", "https://index.docker.io/v1/");
        info.putArray("DriverStatus");
        info.putObject("Runtimes").putObject("canal").put("path", "in-process (Canal's runtime library)");
        ObjectNode plugins = info.putObject("Plugins");
        plugins.set("Volume", Json.array(List.of("local")));
        plugins.set("Network", Json.array(List.of("host", "null")));
        plugins.set("Log", Json.array(List.of("json-file")));
        info.set("SecurityOptions", Json.array(List.of("name=seccomp,profile=builtin")));
        info.putArray("Warnings");
        exchange.json(200, info);
    }

    private void events(Exchange exchange) throws IOException, InterruptedException {
        long since = nanos(exchange.query("since"), Long.MIN_VALUE);
        long until = nanos(exchange.query("until"), Long.MAX_VALUE);
        Map<String, List<String>> filters = exchange.filters();
        BlockingQueue<Event> queue = this.engine.events().subscribe();

        try (OutputStream out = exchange.stream(200, "application/json")) {
            long sent = Long.MIN_VALUE;
            if (exchange.query("since") != null) {
                for (Event event : this.engine.events().since(since)) {
                    if (event.timeNano() <= until && matches(event, filters)) {
                        write(out, event);
                        sent = event.timeNano();
                    }
                }
            }

            while (true) {
                long now = System.currentTimeMillis() * 1000000L;
                if (now > until) {
                    return;
                }

                Event event =
                        queue.poll(Math.min(1000L, Math.max(1L, (until - now) / 1000000L)), TimeUnit.MILLISECONDS);
                if (event != null && event.timeNano() > sent && event.timeNano() <= until && matches(event, filters)) {
                    write(out, event);
                }
            }
        } finally {
            this.engine.events().unsubscribe(queue);
        }
    }

    private static long nanos(String text, long otherwise) {
        if (text != null && !text.isEmpty()) {
            try {
                return Math.round(Double.parseDouble(text) * 1.0E9);
            } catch (NumberFormatException e) {
                return Instant.parse(text).getEpochSecond() * 1000000000L;
            }
        } else {
            return otherwise;
        }
    }

    private static boolean matches(Event event, Map<String, List<String>> filters) {
        for (Entry<String, List<String>> filter : filters.entrySet()) {
            List<String> wanted = filter.getValue();

            boolean ok = switch ((String) filter.getKey()) {
                case "type" -> wanted.contains(event.type());
                case "event" ->
                    wanted.stream().anyMatch(action -> event.action().startsWith(action));
                case "container" ->
                    event.type().equals("container")
                            && wanted.stream()
                                    .anyMatch(name -> event.id().startsWith(name)
                                            || name.equals(event.attributes().get("name")));
                case "image" -> wanted.contains(event.attributes().get("image"));
                case "label" ->
                    wanted.stream().allMatch(label -> {
                        int equals = label.indexOf('=');
                        return equals < 0
                                ? event.attributes().containsKey(label)
                                : label.substring(equals + 1)
                                        .equals(event.attributes().get(label.substring(0, equals)));
                    });
                default -> true;
            };
            if (!ok) {
                return false;
            }
        }

        return true;
    }

    private static void write(OutputStream out, Event event) throws IOException {
        ObjectNode json = Json.object();
        if (event.type().equals("container")) {
            json.put("status", event.action()).put("id", event.id()).put("from", (String)
                    event.attributes().get("image"));
        }

        json.put("Type", event.type()).put("Action", event.action());
        json.putObject("Actor").put("ID", event.id()).set("Attributes", Json.map(event.attributes()));
        json.put("scope", "local").put("time", event.timeNano() / 1000000000L).put("timeNano", event.timeNano());
        out.write((Exchange.JSON.writeValueAsString(json) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void diskUsage(Exchange exchange) {
        ObjectNode usage = Json.object();
        long layers = 0L;
        ArrayNode images = usage.putArray("Images");

        for (ImageSummary image : this.engine.images().list()) {
            layers += image.size();
            images.addObject()
                    .put("Id", image.id().toString())
                    .put("Created", Json.epochSeconds(image.created()))
                    .put("Size", image.size())
                    .put("SharedSize", -1)
                    .put("Containers", -1)
                    .set("RepoTags", Json.array(List.of(image.name().toString())));
        }

        usage.put("LayersSize", layers);
        ArrayNode containers = usage.putArray("Containers");

        for (ContainerView view : this.engine.list(true)) {
            containers.add(ContainerEndpoints.summary(view));
        }

        ArrayNode volumes = usage.putArray("Volumes");

        for (Info volume : this.engine.volumes().list()) {
            volumes.add(VolumeEndpoints.describeWithUsage(this.engine, volume));
        }

        usage.putArray("BuildCache");
        exchange.json(200, usage);
    }

    private static String kernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String operatingSystem() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException var2) {
        }

        return "Linux";
    }

    private static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024L;
                }
            }
        } catch (IOException var2) {
        }

        return 0L;
    }
}
