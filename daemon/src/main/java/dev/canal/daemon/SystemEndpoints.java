package dev.canal.daemon;

import dev.canal.engine.ContainerView;
import dev.canal.engine.DockerTimestamp;
import dev.canal.engine.Engine;
import dev.canal.engine.Events.Event;
import dev.canal.engine.HostResources;
import dev.canal.engine.VolumeStore.Info;
import dev.canal.images.ImageReference;
import dev.canal.images.ImageSummary;
import dev.canal.images.registry.RegistryAuthConfig;
import dev.canal.images.registry.RegistryCredentials;
import dev.canal.images.registry.RegistryEndpoint;
import dev.canal.images.registry.RegistryException;
import dev.canal.images.registry.RegistryLogin;
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
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields.Mutable;
import org.eclipse.jetty.http.HttpHeader;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The daemon's own operations: {@code /_ping} (version negotiation), {@code /version},
 * {@code /info}, {@code /events}, {@code /system/df} and {@code /auth} (System, https://docs.docker.com/reference/api/engine/version/v1.50/#tag/System).
 */
final class SystemEndpoints {
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

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
                .add("GET", "/system/df", this::diskUsage)
                .add("POST", "/auth", this::login);
    }

    /**
     * The CLI's first request, with no version in the path: the Api-Version header of the answer
     * (set for every answer by {@link ApiHandler}) is what it negotiates down to; OSType and
     * Builder-Version tell it which platform and builder to expect.
     */
    private void ping(Exchange exchange) {
        Mutable headers = exchange.response.getHeaders();
        headers.put("OSType", "linux");
        headers.put("Docker-Experimental", "false");
        headers.put("Builder-Version", "1");
        headers.put(HttpHeader.CACHE_CONTROL, "no-cache, no-store, must-revalidate");
        headers.put(HttpHeader.PRAGMA, "no-cache");
        exchange.text(200, "OK");
    }

    /**
     * {@code docker login} (SystemAuth,
     * https://docs.docker.com/reference/api/engine/version/v1.50/#tag/System/operation/SystemAuth):
     * asks the registry whether it takes the body's AuthConfig and keeps nothing; the CLI stores
     * the credentials in its own config.json and sends them with each push and pull. A refusal is
     * a 401 in dockerd's words, which the CLI prints after "Error response from daemon:".
     */
    private void login(Exchange exchange) {
        RegistryAuthConfig config = RegistryAuthConfig.fromJson(Exchange.JSON.writeValueAsBytes(exchange.body()));
        RegistryCredentials credentials =
                config.credentials().orElseThrow(() -> ApiException.badRequest("a login needs a user name"));
        String registry = RegistryLogin.registryName(config.serverAddress().orElse(ImageReference.DOCKER_HUB));
        try {
            RegistryLogin.verify(registry, credentials, Set.of());
        } catch (RegistryException e) {
            if (String.valueOf(e.getMessage()).startsWith("unauthorized:")) {
                throw new ApiException(
                        401,
                        "login attempt to "
                                + RegistryEndpoint.of(registry, Set.of()).base()
                                + " failed with status: 401 Unauthorized");
            }
            throw e;
        }
        exchange.json(200, Json.object().put("Status", "Login Succeeded").put("IdentityToken", ""));
    }

    private void version(Exchange exchange) {
        ObjectNode version = Json.object();
        version.putObject("Platform").put("Name", "Canal");
        version.putArray("Components")
                .addObject()
                .put("Name", "Engine")
                .put("Version", DaemonInfo.VERSION)
                .putObject("Details")
                .put("ApiVersion", ApiHandler.API_VERSION)
                .put("MinAPIVersion", ApiHandler.MIN_API_VERSION)
                .put("Os", "linux")
                .put("Arch", "amd64")
                .put("KernelVersion", kernel());
        version.put("Version", DaemonInfo.VERSION)
                .put("ApiVersion", ApiHandler.API_VERSION)
                .put("MinAPIVersion", ApiHandler.MIN_API_VERSION)
                .put("GitCommit", "canal")
                .put("GoVersion", "java" + Runtime.version().feature())
                .put("Os", "linux")
                .put("Arch", "amd64")
                .put("KernelVersion", kernel())
                .put("BuildTime", daemon.started().toString());
        exchange.json(200, version);
    }

    private void info(Exchange exchange) throws IOException {
        List<ContainerView> containers = engine.list(true);
        long running = containers.stream()
                .filter(view -> view.state().running() && !view.state().paused())
                .count();
        long paused = containers.stream().filter(view -> view.state().paused()).count();
        CgroupLayout layout = CgroupLayout.detect();
        ObjectNode info = Json.object()
                .put("ID", daemon.id())
                .put("Containers", containers.size())
                .put("ContainersRunning", running)
                .put("ContainersPaused", paused)
                .put("ContainersStopped", containers.size() - running - paused)
                .put("Images", engine.images().list().size())
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
                .put("MemTotal", HostResources.memTotal())
                .put("DockerRootDir", daemon.dataRoot().toString())
                .put(
                        "Name",
                        Files.readString(Path.of("/proc/sys/kernel/hostname")).strip())
                .put("ServerVersion", DaemonInfo.VERSION)
                .put("CgroupDriver", "cgroupfs")
                .put("CgroupVersion", layout.limitsOnV2() ? "2" : "1")
                .put("DefaultRuntime", "canal")
                .put("LiveRestoreEnabled", daemon.liveRestore())
                .put("LoggingDriver", "json-file")
                .put("IndexServerAddress", "https://index.docker.io/v1/");
        info.putArray("DriverStatus");
        info.putObject("Runtimes").putObject("canal").put("path", "in-process (Canal's runtime library)");
        ObjectNode plugins = info.putObject("Plugins");
        plugins.set("Volume", Json.array(List.of("local")));
        // Network drivers: the bridge (the default bridge and user networks), the host's network, none.
        plugins.set("Network", Json.array(List.of("bridge", "host", "null")));
        plugins.set("Log", Json.array(List.of("json-file")));
        info.set("SecurityOptions", Json.array(List.of("name=seccomp,profile=builtin")));
        info.putArray("Warnings");
        exchange.json(200, info);
    }

    /**
     * {@code docker events}: past events from {@code since}, then live ones until {@code until}
     * or the client goes, one JSON object a line. The subscription comes first, so that no event
     * falls between the past and the live ones; one sent from the past is not sent again.
     */
    private void events(Exchange exchange) throws IOException, InterruptedException {
        long since = nanos(exchange.query("since"), Long.MIN_VALUE);
        long until = nanos(exchange.query("until"), Long.MAX_VALUE);
        Map<String, List<String>> filters = exchange.filters();
        BlockingQueue<Event> queue = engine.events().subscribe();

        try (OutputStream out = exchange.stream(200, "application/json")) {
            long sent = Long.MIN_VALUE;
            if (exchange.query("since") != null) {
                for (Event event : engine.events().since(since)) {
                    if (event.timeNano() <= until && matches(event, filters)) {
                        write(out, event);
                        sent = event.timeNano();
                    }
                }
            }

            while (true) {
                long now = System.currentTimeMillis() * NANOS_PER_MILLI;
                if (now > until) {
                    return;
                }

                Event event = queue.poll(
                        Math.min(1000L, Math.max(1L, (until - now) / NANOS_PER_MILLI)), TimeUnit.MILLISECONDS);
                if (event != null && event.timeNano() > sent && event.timeNano() <= until && matches(event, filters)) {
                    write(out, event);
                }
            }
        } finally {
            engine.events().unsubscribe(queue);
        }
    }

    /** since and until, as the CLI sends them (Unix seconds with a fraction) or as {@link DockerTimestamp} reads them. */
    private static long nanos(String text, long otherwise) {
        if (text == null || text.isEmpty()) {
            return otherwise;
        }
        try {
            Instant time = DockerTimestamp.parse(text, Instant.now());
            // A long of nanoseconds ends in 2262 (and began in 1677): a time beyond is its end.
            try {
                return Math.addExact(Math.multiplyExact(time.getEpochSecond(), NANOS_PER_SECOND), time.getNano());
            } catch (ArithmeticException beyond) {
                return time.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static boolean matches(Event event, Map<String, List<String>> filters) {
        for (Entry<String, List<String>> filter : filters.entrySet()) {
            List<String> wanted = filter.getValue();

            boolean ok = switch (filter.getKey()) {
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
        // status, id and from: the pre-1.22 shape of a container's event, which the API still sends.
        if (event.type().equals("container")) {
            json.put("status", event.action())
                    .put("id", event.id())
                    .put("from", event.attributes().get("image"));
        }

        json.put("Type", event.type()).put("Action", event.action());
        json.putObject("Actor").put("ID", event.id()).set("Attributes", Json.map(event.attributes()));
        json.put("scope", "local")
                .put("time", event.timeNano() / NANOS_PER_SECOND)
                .put("timeNano", event.timeNano());
        out.write((Exchange.JSON.writeValueAsString(json) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * {@code docker system df}: images, containers, volumes and build cache (none: no builder yet).
     * SharedSize and Containers of an image are -1, "not computed", which the API allows.
     */
    private void diskUsage(Exchange exchange) {
        ObjectNode usage = Json.object();
        long layers = 0L;
        ArrayNode images = usage.putArray("Images");

        for (ImageSummary image : engine.images().list()) {
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

        for (ContainerView view : engine.list(true)) {
            containers.add(ContainerEndpoints.summary(view, engine));
        }

        ArrayNode volumes = usage.putArray("Volumes");

        for (Info volume : engine.volumes().list()) {
            volumes.add(VolumeEndpoints.describeWithUsage(engine, volume));
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
        } catch (IOException noOsRelease) {
            // a generic name, then
        }

        return "Linux";
    }
}
