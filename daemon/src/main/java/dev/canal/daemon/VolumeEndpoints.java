package dev.canal.daemon;

import dev.canal.engine.ConflictException;
import dev.canal.engine.ContainerRecord;
import dev.canal.engine.ContainerView;
import dev.canal.engine.Engine;
import dev.canal.engine.NoSuchObjectException;
import dev.canal.engine.PruneFilters;
import dev.canal.engine.Volume;
import dev.canal.engine.VolumeStore;
import dev.canal.engine.VolumeStore.Info;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Named volumes (Volume, https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Volume): directories under the data
 * root's volumes/NAME/_data, as dockerd's local driver keeps them, which containers bind. Only the
 * local driver exists. A volume a container uses, running or not, is not removed unless forced,
 * and prune removes anonymous volumes only, unless asked for all (API 1.42 and later).
 */
final class VolumeEndpoints {
    private final Engine engine;

    VolumeEndpoints(Engine engine) {
        this.engine = engine;
    }

    void register(Routes routes) {
        routes.add("GET", "/volumes", this::list)
                .add("POST", "/volumes/create", this::create)
                .add("POST", "/volumes/prune", this::prune)
                .add("GET", "/volumes/{name}", exchange -> exchange.json(200, describe(find(exchange.path(0)))))
                .add("DELETE", "/volumes/{name}", this::remove);
    }

    static ObjectNode describe(Info volume) {
        ObjectNode json = Json.object()
                .put("Name", volume.name())
                .put("Driver", "local")
                .put("Mountpoint", volume.mountpoint().toString())
                .put("CreatedAt", volume.createdAt())
                .put("Scope", "local");
        json.set("Labels", Json.map(volume.labels()));
        json.putObject("Options");
        return json;
    }

    /**
     * {@link #describe} with the UsageData that {@code GET /system/df} adds: the bytes under the
     * volume and how many containers use it. The CLI's {@code system df} table reads both, and
     * fails on a volume without them.
     */
    static ObjectNode describeWithUsage(Engine engine, Info volume) {
        ObjectNode json = describe(volume);
        json.putObject("UsageData")
                .put("Size", bytesUnder(volume.mountpoint()))
                .put("RefCount", usersOf(engine, volume.name()).size());
        return json;
    }

    /** The sizes of the regular files under {@code directory}, as du(1) would count them apparently. */
    private static long bytesUnder(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(file -> file.toFile().length())
                    .sum();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    private Info find(String name) {
        return engine.volumes()
                .inspect(name)
                .orElseThrow(() -> new NoSuchObjectException("get " + name + ": no such volume"));
    }

    private void list(Exchange exchange) {
        ObjectNode answer = Json.object();
        ArrayNode volumes = answer.putArray("Volumes");
        Predicate<Info> wanted = VolumeFilters.forList(
                exchange.filters(), volume -> !usersOf(engine, volume.name()).isEmpty());
        engine.volumes().list().stream().filter(wanted).forEach(volume -> volumes.add(describe(volume)));
        answer.putArray("Warnings");
        exchange.json(200, answer);
    }

    private void create(Exchange exchange) {
        JsonNode body = exchange.body();
        String name = Json.string(body, "Name");
        String driver = Json.string(body, "Driver");
        if (driver != null && !driver.isEmpty() && !driver.equals("local")) {
            throw ApiException.badRequest("volume driver \"" + driver + "\" is not supported: only local");
        }

        Info volume = engine.volumes()
                .create(
                        name != null && !name.isEmpty() ? name : VolumeStore.anonymousName(),
                        Json.stringMap(body, "Labels"));
        engine.events().publish("volume", "create", volume.name(), Map.of("driver", "local"));
        exchange.json(201, describe(volume));
    }

    private void remove(Exchange exchange) {
        String name = exchange.path(0);
        find(name);
        List<String> users = usersOf(engine, name);
        if (!users.isEmpty() && !exchange.flag("force", false)) {
            throw new ConflictException("remove " + name + ": volume is in use - [" + String.join(", ", users) + "]");
        }

        engine.volumes().remove(name);
        engine.events().publish("volume", "destroy", name, Map.of("driver", "local"));
        exchange.empty(204);
    }

    /** The containers whose binds name the volume. */
    private static List<String> usersOf(Engine engine, String name) {
        return engine.list(true).stream()
                .map(ContainerView::record)
                .filter(record -> record.specOrDefault().host().binds().stream()
                        .map(Volume::parse)
                        .anyMatch(volume -> name.equals(volume.name())))
                .map(ContainerRecord::id)
                .toList();
    }

    /**
     * {@code docker volume prune}: the unused anonymous volumes, or with {@code all} every
     * unused one, that the {@code label} and {@code label!} filters select (moby's
     * volumes/service.go: those and {@code all} are its only filters; no {@code until}).
     */
    private void prune(Exchange exchange) {
        Map<String, List<String>> filters = new HashMap<>(exchange.filters());
        boolean all = filters.getOrDefault("all", List.of()).stream()
                .anyMatch(value -> value.equals("true") || value.equals("1"));
        filters.remove("all");
        if (filters.containsKey("until")) {
            throw ApiException.badRequest("invalid filter 'until'");
        }
        PruneFilters selection = PruneFilters.of(filters, Instant.now());
        ObjectNode answer = Json.object();
        ArrayNode deleted = answer.putArray("VolumesDeleted");

        for (Info volume : engine.volumes().list()) {
            boolean anonymous = volume.labels().containsKey("com.docker.volume.anonymous");
            if ((all || anonymous)
                    && selection.selects(null, volume.labels())
                    && usersOf(engine, volume.name()).isEmpty()) {
                engine.volumes().remove(volume.name());
                deleted.add(volume.name());
            }
        }

        answer.put("SpaceReclaimed", 0);
        exchange.json(200, answer);
    }
}
