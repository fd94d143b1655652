package dev.canal.daemon;

import dev.canal.engine.ContainerRecord;
import dev.canal.engine.ContainerSpec;
import dev.canal.engine.ContainerSpec.HostSettings;
import dev.canal.engine.ContainerView;
import dev.canal.engine.ContainerView.State;
import dev.canal.engine.Engine;
import dev.canal.engine.InspectDocument;
import dev.canal.engine.NoSuchObjectException;
import dev.canal.engine.PruneFilters;
import dev.canal.engine.ResourcesJson;
import dev.canal.engine.RestartPolicy;
import dev.canal.engine.net.ContainerEndpoint;
import dev.canal.runtime.sys.OwnedFd;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Containers (Container, https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Container): create from the JSON
 * the CLI sends, the lifecycle operations, list and inspect, wait, prune, and attach over a
 * {@link HijackedStream}; logs, top and stats, and the archive for docker cp are in classes of
 * their own. Each answers as dockerd does: 204 with no body for an operation done, 201 with the id
 * for a create, and the engine's exceptions become docker's statuses in {@link ApiHandler}.
 */
final class ContainerEndpoints {

    private final Engine engine;

    ContainerEndpoints(Engine engine) {
        this.engine = engine;
    }

    void register(Routes routes) {
        LogEndpoint logs = new LogEndpoint(engine);
        StatsEndpoints stats = new StatsEndpoints(engine);
        ArchiveEndpoints archive = new ArchiveEndpoints(engine);
        routes.add("GET", "/containers/json", this::list)
                .add("POST", "/containers/create", this::create)
                .add("POST", "/containers/prune", this::prune)
                .add("GET", "/containers/{id}/json", this::inspect)
                .add("POST", "/containers/{id}/start", exchange -> {
                    engine.start(exchange.path(0));
                    exchange.empty(204);
                })
                .add("POST", "/containers/{id}/stop", exchange -> {
                    engine.stop(exchange.path(0), exchange.integer("t"));
                    exchange.empty(204);
                })
                .add("POST", "/containers/{id}/restart", exchange -> {
                    engine.restart(exchange.path(0), exchange.integer("t"));
                    exchange.empty(204);
                })
                .add("POST", "/containers/{id}/kill", exchange -> {
                    engine.kill(exchange.path(0), exchange.query("signal"));
                    exchange.empty(204);
                })
                .add("POST", "/containers/{id}/pause", exchange -> {
                    engine.pause(exchange.path(0));
                    exchange.empty(204);
                })
                .add("POST", "/containers/{id}/unpause", exchange -> {
                    engine.unpause(exchange.path(0));
                    exchange.empty(204);
                })
                .add("POST", "/containers/{id}/rename", exchange -> {
                    String name = exchange.query("name");
                    if (name == null || name.isEmpty()) {
                        throw ApiException.badRequest("Neither old nor new names may be empty");
                    }
                    engine.rename(exchange.path(0), name);
                    exchange.empty(204);
                })
                .add("POST", "/containers/{id}/resize", exchange -> {
                    Integer rows = exchange.integer("h");
                    Integer columns = exchange.integer("w");
                    engine.resize(exchange.path(0), rows == null ? 0 : rows, columns == null ? 0 : columns);
                    exchange.empty(200);
                })
                .add("POST", "/containers/{id}/update", this::update)
                .add("POST", "/containers/{id}/wait", this::await)
                .add("DELETE", "/containers/{id}", exchange -> {
                    engine.remove(exchange.path(0), exchange.flag("force", false), exchange.flag("v", false));
                    exchange.empty(204);
                })
                .add("POST", "/containers/{id}/attach", this::attach)
                .add("GET", "/containers/{id}/logs", logs::logs)
                .add("GET", "/containers/{id}/top", stats::top)
                .add("GET", "/containers/{id}/stats", stats::stats)
                .add("HEAD", "/containers/{id}/archive", archive::stat)
                .add("GET", "/containers/{id}/archive", archive::get)
                .add("PUT", "/containers/{id}/archive", archive::put);
    }

    private void create(Exchange exchange) {
        JsonNode body = exchange.body();
        ContainerSpec spec = spec(body);
        ContainerRecord record = engine.create(spec, exchange.query("name"));
        connectTheOtherNetworks(body, spec, record);
        ObjectNode answer = Json.object().put("Id", record.id());
        answer.putArray("Warnings");
        exchange.json(201, answer);
    }

    /**
     * {@code docker run --network a --network b} (API 1.44 and later): every network of
     * {@code NetworkingConfig.EndpointsConfig} besides {@code HostConfig.NetworkMode}'s is
     * connected to the created container, with its {@code --ip} and aliases, as {@code docker
     * network connect} connects a created one; it joins them at its start. If one cannot be, the
     * container goes again and the create fails with the reason, a 400 even for a missing
     * network: the CLI takes a 404 from create for a missing image.
     */
    private void connectTheOtherNetworks(JsonNode body, ContainerSpec spec, ContainerRecord record) {
        JsonNode endpoints = body.path("NetworkingConfig").path("EndpointsConfig");
        for (String network : endpoints.propertyNames()) {
            if (network.equals(spec.host().network())
                    || network.equals(engine.networks().modeOf(spec))) {
                continue;
            }
            JsonNode endpoint = endpoints.path(network);
            try {
                engine.connect(
                        record.id(),
                        network,
                        Json.string(endpoint.path("IPAMConfig"), "IPv4Address"),
                        Json.strings(endpoint, "Aliases"));
            } catch (RuntimeException e) {
                try {
                    engine.remove(record.id(), true, true);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup); // the connect's failure is the one to report
                }
                throw e instanceof NoSuchObjectException ? ApiException.badRequest(e.getMessage()) : e;
            }
        }
    }

    /**
     * The engine's spec from the body of {@code POST /containers/create}: the container's Config
     * at the top level, its HostConfig below (ContainerCreate,
     * https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Container/operation/ContainerCreate).
     */
    static ContainerSpec spec(JsonNode body) {
        String image = Json.string(body, "Image");
        if (image == null || image.isEmpty()) {
            throw ApiException.badRequest("config cannot be empty in order to create a container");
        }
        JsonNode host = body.path("HostConfig");
        String network = Json.string(host, "NetworkMode");
        // "default" is the daemon's default network, which the engine resolves: its default
        // bridge, or none when canald runs with -b none (as dockerd with --bridge=none).
        if (network == null || network.isEmpty()) {
            network = "default";
        }

        JsonNode restart = host.path("RestartPolicy");
        String restartName = Json.string(restart, "Name");
        List<String> binds = new ArrayList<>();
        List<String> given = Json.strings(host, "Binds");
        if (given != null) {
            binds.addAll(given);
        }

        // Config.Volumes: the anonymous volumes (VOLUME of the image, docker run -v /path) not
        // already bound by a HostConfig.Binds entry.
        body.path("Volumes").propertyNames().forEach(path -> {
            if (binds.stream().noneMatch(bind -> bind.endsWith(":" + path) || bind.contains(":" + path + ":"))) {
                binds.add(path);
            }
        });
        List<Integer> consoleSize = Json.consoleSize(host.path("ConsoleSize"));

        HostSettings settings = new HostSettings(
                binds,
                host.path("AutoRemove").asBoolean(),
                new RestartPolicy(restartName, restart.path("MaximumRetryCount").asInt()),
                ResourcesJson.read(host),
                network,
                host.path("ReadonlyRootfs").asBoolean(),
                Json.strings(host, "CapAdd"),
                Json.strings(host, "CapDrop"),
                host.path("Privileged").asBoolean(),
                Json.stringMap(host, "Tmpfs"),
                Json.stringMap(host.path("LogConfig"), "Config"),
                consoleSize,
                ContainerNetworkingJson.request(body, network));
        String logType = Json.string(host.path("LogConfig"), "Type");
        if (logType != null && !logType.isEmpty() && !logType.equals("json-file")) {
            throw ApiException.badRequest(
                    "logging driver \"" + logType + "\" is not supported: canald writes json-file logs");
        }

        Integer stopTimeout =
                body.hasNonNull("StopTimeout") ? body.get("StopTimeout").asInt() : null;
        return new ContainerSpec(
                image,
                Json.strings(body, "Cmd"),
                Json.strings(body, "Entrypoint"),
                Json.strings(body, "Env"),
                Json.string(body, "WorkingDir"),
                Json.string(body, "User"),
                Json.string(body, "Hostname"),
                body.path("Tty").asBoolean(),
                body.path("OpenStdin").asBoolean(),
                body.path("StdinOnce").asBoolean(),
                Json.stringMap(body, "Labels"),
                Json.string(body, "StopSignal"),
                stopTimeout,
                settings);
    }

    /**
     * {@code docker update}: the body is a HostConfig's resources and RestartPolicy
     * (ContainerUpdate); an empty policy name leaves the container's as it is.
     */
    private void update(Exchange exchange) {
        JsonNode body = exchange.body();
        String restartName = Json.string(body.path("RestartPolicy"), "Name");
        RestartPolicy restart = restartName == null || restartName.isEmpty()
                ? null
                : new RestartPolicy(
                        restartName,
                        body.path("RestartPolicy").path("MaximumRetryCount").asInt());
        engine.update(exchange.path(0), ResourcesJson.read(body), restart);
        ObjectNode answer = Json.object();
        answer.putArray("Warnings");
        exchange.json(200, answer);
    }

    private void inspect(Exchange exchange) {
        exchange.json(200, InspectDocument.of(engine.inspect(exchange.path(0)), engine));
    }

    private void list(Exchange exchange) {
        boolean all = exchange.flag("all", false);
        Map<String, List<String>> filters = exchange.filters();
        Integer limit = exchange.integer("limit");
        ArrayNode containers = Exchange.JSON.createArrayNode();

        for (ContainerView view : engine.list(all || filters.containsKey("status") || filters.containsKey("exited"))) {
            if (limit != null && limit > 0 && containers.size() >= limit) {
                break; // before the next summary: each reads the container's endpoints
            }
            ObjectNode summary = summary(view, engine);
            if (ContainerFilters.matches(view, summary, filters)) {
                containers.add(summary);
            }
        }

        exchange.json(200, containers);
    }

    static ObjectNode summary(ContainerView view, Engine engine) {
        ContainerRecord record = view.record();
        ContainerSpec spec = record.specOrDefault();
        ObjectNode json = Json.object().put("Id", record.id());
        json.set("Names", Json.array(List.of("/" + record.name())));
        json.put("Image", record.image())
                .put("ImageID", record.imageId() == null ? "" : record.imageId())
                .put("Command", String.join(" ", record.command()))
                .put("Created", Json.epochSeconds(record.created()))
                .put("State", view.state().status())
                .put("Status", status(view, Instant.now()));
        // Both read the container's endpoints: read once, from the engine's store on disk.
        List<ContainerEndpoint> endpoints = engine.networks().endpointsOf(record.id());
        json.set("Ports", ContainerListNetworking.ports(view, endpoints, engine));
        json.set("Labels", Json.map(spec.labels()));
        json.putObject("HostConfig").put("NetworkMode", spec.host().network());
        json.set("NetworkSettings", ContainerListNetworking.settings(view, endpoints, engine));
        json.putArray("Mounts");
        return json;
    }

    /** The STATUS column of docker ps: "Up 5 minutes", "Exited (0) 2 hours ago", in docker's words. */
    static String status(ContainerView view, Instant now) {
        State state = view.state();
        ContainerRecord record = view.record();
        if (state.restarting()) {
            return "Restarting (" + state.exitCode() + ") " + ago(record.finished(), now) + " ago";
        } else if (state.running()) {
            String since = record.started() != null ? record.started() : record.created();
            return "Up " + ago(since, now) + (state.paused() ? " (Paused)" : "");
        } else {
            return state.status().equals("created")
                    ? "Created"
                    : "Exited (" + state.exitCode() + ") " + ago(record.finished(), now) + " ago";
        }
    }

    /** A duration as Go's units.HumanDuration words it, which docker ps prints. */
    private static String ago(String time, Instant now) {
        long seconds =
                time == null ? 0 : Duration.between(Instant.parse(time), now).toSeconds();
        long minutes = seconds / 60;
        long hours = Math.round(seconds / 3600.0);
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        } else if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        } else if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        }
        return hours / 24 + " days";
    }

    /**
     * {@code POST /containers/{id}/wait}: the 200 and its headers go at once, the body when the
     * container reaches the condition (not-running, next-exit, removed). The CLI's docker run
     * sends this before it starts the container, so that it cannot miss a quick exit.
     */
    private void await(Exchange exchange) throws IOException {
        CompletableFuture<Integer> done = engine.waitFor(exchange.path(0), exchange.query("condition"));

        try (OutputStream out = exchange.stream(200, "application/json")) {
            int status = done.join();
            ObjectNode answer = Json.object().put("StatusCode", status);
            out.write(Exchange.JSON.writeValueAsBytes(answer));
        }
    }

    /** {@code docker container prune}: the stopped containers that {@link PruneFilters} select. */
    private void prune(Exchange exchange) {
        PruneFilters filters = PruneFilters.of(exchange.filters(), Instant.now());
        ObjectNode answer = Json.object();
        answer.set(
                "ContainersDeleted",
                Json.array(engine.prune(record ->
                        filters.selects(record.created(), record.specOrDefault().labels()))));
        answer.put("SpaceReclaimed", 0);
        exchange.json(200, answer);
    }

    /**
     * {@code docker attach}, and the first step of a foreground docker run: the connection is
     * hijacked, the container's output goes out through {@link FramedOutput}, and the client's
     * stdin comes in on the same socket when it asked for stdin.
     */
    private void attach(Exchange exchange) {
        ContainerView view = engine.inspect(exchange.path(0));
        ContainerRecord record = view.record();
        boolean tty = record.specOrDefault().tty();
        boolean stdin = exchange.flag("stdin", false);
        boolean stdout = exchange.flag("stdout", false);
        boolean stderr = exchange.flag("stderr", false);
        boolean stream = exchange.flag("stream", false);
        if (!stream) {
            throw ApiException.badRequest("attach without stream=1 is not supported by canald");
        }

        HijackedStream.upgrade(exchange, !tty, connection -> {
            FramedOutput output = new FramedOutput(connection::write, !tty, stdout, stderr);
            Runnable detach = engine.attach(record.id(), output);

            try {
                if (stdin) {
                    connection.startReading("canal-attach-stdin", () -> copyInput(connection, record));
                }

                output.awaitEnd();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                detach.run();
            }
        });
    }

    private void copyInput(HijackedStream connection, ContainerRecord record) {
        byte[] buffer = new byte[32768];

        try {
            OwnedFd input = engine.awaitInput(record.id());
            if (input == null) {
                return;
            }

            int count;
            while ((count = connection.read(buffer)) > 0) {
                input.writeFully(Arrays.copyOf(buffer, count));
            }

            // StdinOnce (docker run -i): the container's stdin closes when this client's does.
            if (record.specOrDefault().stdinOnce()) {
                engine.closeInput(record.id());
            }
        } catch (IOException | RuntimeException | InterruptedException clientOrContainerGone) {
            // the client left or the container ended: nothing to copy either way
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
