package dev.canal.daemon;

import dev.canal.engine.Engine;
import dev.canal.engine.ImagePrune;
import dev.canal.engine.ImageSave;
import dev.canal.engine.ImageUsers;
import dev.canal.engine.build.CommitChanges;
import dev.canal.images.Digest;
import dev.canal.images.Image;
import dev.canal.images.ImageException;
import dev.canal.images.ImageLibrary.PrunedImage;
import dev.canal.images.ImageReference;
import dev.canal.images.ImageSummary;
import dev.canal.images.archive.ImageArchives;
import dev.canal.images.manifest.ImageConfig.RunConfig;
import dev.canal.images.registry.CredentialLookup;
import dev.canal.images.registry.DockerConfigCredentials;
import dev.canal.images.registry.ImagePuller;
import dev.canal.images.registry.ImagePusher;
import dev.canal.images.registry.PullOptions;
import dev.canal.images.registry.PushOptions;
import dev.canal.images.registry.RegistryAuthConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Images (Image, https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Image): list, inspect, pull and import (both are
 * {@code POST /images/create}), push, load and save of docker's archive format, tag, remove and prune,
 * over Canal's image store. An image's name may hold slashes, so the routes take the rest of the
 * path ({@code {name*}}) before the operation's last segment.
 */
final class ImageEndpoints {
    private final Engine engine;

    ImageEndpoints(Engine engine) {
        this.engine = engine;
    }

    void register(Routes routes) {
        routes.add("GET", "/images/json", this::list)
                .add("POST", "/images/create", this::create)
                .add("POST", "/images/load", this::load)
                .add("POST", "/images/prune", this::prune)
                .add("GET", "/images/get", exchange -> save(exchange, exchange.queries("names")))
                .add("GET", "/images/{name*}/get", exchange -> save(exchange, List.of(exchange.path(0))))
                .add("GET", "/images/{name*}/json", this::inspect)
                .add("POST", "/images/{name*}/tag", this::tag)
                .add("POST", "/images/{name*}/push", this::push)
                .add("DELETE", "/images/{name*}", this::remove);
    }

    /** One entry per image id, with all its names: the store lists one per name. */
    private void list(Exchange exchange) {
        Map<Digest, List<ImageSummary>> byId = new LinkedHashMap<>();

        for (ImageSummary summary : engine.images().list()) {
            byId.computeIfAbsent(summary.id(), id -> new ArrayList<>()).add(summary);
        }

        ArrayNode images = Exchange.JSON.createArrayNode();

        for (Entry<Digest, List<ImageSummary>> entry : byId.entrySet()) {
            ImageSummary first = entry.getValue().getFirst();
            ObjectNode json = images.addObject()
                    .put("Id", entry.getKey().toString())
                    .put("ParentId", "")
                    .put("Created", Json.epochSeconds(first.created()))
                    .put("Size", first.size())
                    .put("SharedSize", -1)
                    .put("Containers", -1);
            json.set(
                    "RepoTags",
                    Json.array(entry.getValue().stream()
                            .map(summary -> summary.name().familiarName())
                            .toList()));
            json.putArray("RepoDigests");
            json.putObject("Labels");
        }

        exchange.json(200, images);
    }

    private void inspect(Exchange exchange) {
        Image image = engine.images().resolve(exchange.path(0));
        RunConfig run = image.config().runConfig();
        ObjectNode json = Json.object()
                .put("Id", image.id().toString())
                .put("Parent", "")
                .put("Comment", "")
                .put(
                        "Created",
                        image.config().created() == null ? "" : image.config().created())
                .put(
                        "Author",
                        image.config().author() == null ? "" : image.config().author())
                .put(
                        "Architecture",
                        image.config().architecture() == null
                                ? "amd64"
                                : image.config().architecture())
                .put(
                        "Os",
                        image.config().os() == null ? "linux" : image.config().os())
                .put(
                        "Size",
                        image.diffIds().stream()
                                .mapToLong(engine.images().layers()::size)
                                .sum());
        json.set(
                "RepoTags",
                Json.array(engine.images().list().stream()
                        .filter(summary -> summary.id().equals(image.id()))
                        .map(summary -> summary.name().familiarName())
                        .toList()));
        json.putArray("RepoDigests");
        // Everything the image config has (ExposedPorts, Volumes, Healthcheck, OnBuild, ...), then
        // the fields docker always shows, with their defaults.
        ObjectNode config = run == null ? Json.object() : (ObjectNode) Exchange.JSON.valueToTree(run);
        json.set("Config", config);
        config.put("User", image.user())
                .put("WorkingDir", run != null && run.workingDir() != null ? run.workingDir() : "");
        config.set("Env", Json.array(image.env()));
        config.set("Cmd", image.cmd().isEmpty() ? null : Json.array(image.cmd()));
        config.set("Entrypoint", image.entrypoint().isEmpty() ? null : Json.array(image.entrypoint()));
        config.set("Labels", Json.map(run == null ? null : run.labels()));
        json.putObject("GraphDriver").put("Name", "overlay").putObject("Data");
        ObjectNode rootfs = json.putObject("RootFS").put("Type", "layers");
        rootfs.set(
                "Layers",
                Json.array(image.diffIds().stream().map(Digest::toString).toList()));
        json.putObject("Metadata").put("LastTagTime", "0001-01-01T00:00:00Z");
        exchange.json(200, json);
    }

    /**
     * {@code fromImage} pulls from a registry ({@code docker pull}); {@code fromSrc=-} imports the
     * request's body, a root filesystem's tar ({@code docker import}), its {@code changes}
     * ({@code --change}) applied to its config as {@code docker commit}'s are ({@link CommitChanges}),
     * read before the body so that a bad one fails the import before anything is written.
     */
    private void create(Exchange exchange) throws IOException {
        String fromImage = exchange.query("fromImage");
        String fromSrc = exchange.query("fromSrc");
        String tag = exchange.query("tag");
        if (fromImage != null && !fromImage.isEmpty()) {
            ImageReference reference = ImageReference.parse(fromImage);
            if (tag != null && !tag.isEmpty()) {
                reference =
                        tag.startsWith("sha256:") ? reference.withDigest(Digest.parse(tag)) : reference.withTag(tag);
            }

            pull(exchange, reference);
        } else {
            if (!"-".equals(fromSrc)) {
                throw ApiException.badRequest("fromSrc: only - (the request's body) is supported");
            }

            RunConfig config = CommitChanges.forImport(exchange.queries("changes"));
            String repo = exchange.query("repo");
            ImageReference name = ImageReference.parse((repo != null && !repo.isEmpty() ? repo : "imported")
                    + (tag != null && !tag.isEmpty() ? ":" + tag : ""));
            Path tarball = upload(exchange.bodyStream());

            try {
                Image image = ImageArchives.importRootfs(engine.images(), tarball, name, config);
                engine.events().publish("image", "import", image.id().toString(), Map.of("name", name.familiarName()));

                try (OutputStream out = exchange.stream(200, "application/json")) {
                    out.write(Exchange.JSON.writeValueAsBytes(
                            Json.object().put("status", image.id().toString())));
                    out.write('\n');
                }
            } finally {
                Files.deleteIfExists(tarball);
            }
        }
    }

    /**
     * The answer is 200 and a stream of progress before the pull can fail, so a failure is the
     * stream's last message, an {@code errorDetail}, which the CLI prints and exits 1 on.
     */
    private void pull(Exchange exchange, ImageReference reference) throws IOException {
        CredentialLookup credentials = credentials(exchange);
        try (OutputStream out = exchange.stream(200, "application/json")) {
            ProgressStream stream = new ProgressStream(out);

            try {
                new ImagePuller(engine.images(), PullOptions.defaults().withCredentials(credentials))
                        .pull(reference, new PullProgressJson(stream));
                engine.events()
                        .publish("image", "pull", reference.familiarName(), Map.of("name", reference.familiarName()));
            } catch (RuntimeException e) {
                stream.error(e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
    }

    /**
     * {@code docker push NAME:TAG} (ImagePush): the name is the path's, the tag the query's. A
     * missing image is a 404 before the stream starts; a registry's refusal comes in the stream,
     * like a pull's. A loopback registry is spoken to over plain http, as dockerd does
     * (its insecure-registries include 127.0.0.0/8), any other over https.
     */
    private void push(Exchange exchange) throws IOException {
        String tag = exchange.query("tag");
        if (tag == null || tag.isEmpty()) {
            throw ApiException.badRequest("push needs a tag: pushing all tags (docker push -a) is not supported");
        }
        ImageReference reference = ImageReference.parse(exchange.path(0)).withTag(tag);
        try {
            engine.images().resolve(reference.toString());
        } catch (ImageException e) {
            // dockerd's message for a name it does not have (moby's distribution.Push)
            throw ApiException.notFound("An image does not exist locally with the tag: " + reference.fullRepository());
        }

        CredentialLookup credentials = credentials(exchange);
        try (OutputStream out = exchange.stream(200, "application/json")) {
            ProgressStream stream = new ProgressStream(out);

            try {
                new ImagePusher(engine.images(), PushOptions.defaults().withCredentials(credentials))
                        .push(reference, new PushProgressJson(stream));
                engine.events()
                        .publish("image", "push", reference.familiarName(), Map.of("name", reference.familiarName()));
            } catch (RuntimeException e) {
                stream.error(e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
    }

    /**
     * The credentials the CLI sent in {@code X-Registry-Auth} (base64url JSON AuthConfig, which
     * it fills from its own config.json after {@code docker login}); without them, those of the
     * daemon's user's config.json, as canal pull has always used.
     */
    private static CredentialLookup credentials(Exchange exchange) {
        return RegistryAuthConfig.fromHeader(exchange.request.getHeaders().get("X-Registry-Auth"))
                .credentials()
                .map(CredentialLookup::always)
                .orElseGet(() -> DockerConfigCredentials.read(DockerConfigCredentials.defaultFile()));
    }

    private void load(Exchange exchange) throws IOException {
        Path archive = upload(exchange.bodyStream());

        try {
            List<Image> loaded = ImageArchives.load(engine.images(), archive, null);

            try (OutputStream out = exchange.stream(200, "application/json")) {
                for (Image image : loaded) {
                    engine.events()
                            .publish(
                                    "image",
                                    "load",
                                    image.id().toString(),
                                    Map.of("name", image.name().familiarName()));
                    out.write(Exchange.JSON.writeValueAsBytes(Json.object()
                            .put("stream", "Loaded image: " + image.name().familiarName() + "\n")));
                    out.write('\n');
                }
            }
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    private void save(Exchange exchange, List<String> names) throws IOException {
        if (names.isEmpty()) {
            throw ApiException.badRequest("no image names given");
        }

        names.forEach(engine.images()::resolve);

        try (OutputStream out = exchange.stream(200, "application/x-tar")) {
            ImageSave.write(engine.images(), names, out);
        }
    }

    /**
     * The request's body in a file of the store's temporary directory: archives are read by
     * random access (an index first), and a file there can be moved into the store.
     */
    private Path upload(InputStream body) throws IOException {
        Path file = Files.createTempFile(engine.images().content().temporaryDirectory(), "upload", ".tar");

        try (body) {
            Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
        }

        return file;
    }

    private void tag(Exchange exchange) {
        Image image = engine.images().resolve(exchange.path(0));
        String repo = exchange.query("repo");
        String tag = exchange.query("tag");
        if (repo == null || repo.isEmpty()) {
            throw ApiException.badRequest("repository name must have at least one component");
        }
        ImageReference name = ImageReference.parse(repo + (tag != null && !tag.isEmpty() ? ":" + tag : ""));
        engine.images().register(name, image.manifestDigest());
        engine.events().publish("image", "tag", image.id().toString(), Map.of("name", name.familiarName()));
        exchange.empty(201);
    }

    /**
     * {@code docker rmi}: untags the name given, and deletes the image when no name is left; an
     * image a container uses is refused (409) unless forced, as dockerd does.
     */
    private void remove(Exchange exchange) {
        String given = exchange.path(0);
        if (!exchange.flag("force", false)) {
            ImageUsers.refuseIfInUse(engine, given);
        }

        Digest id = engine.images().resolve(given).id();
        ArrayNode answer = Exchange.JSON.createArrayNode();

        for (ImageReference removed : engine.images().remove(given)) {
            answer.addObject().put("Untagged", removed.familiarName());
            engine.events().publish("image", "untag", id.toString(), Map.of("name", removed.familiarName()));
        }

        if (engine.images().list().stream().noneMatch(summary -> summary.id().equals(id))) {
            answer.addObject().put("Deleted", id.toString());
            engine.events().publish("image", "delete", id.toString(), Map.of("name", id.toString()));
        }

        exchange.json(200, answer);
    }

    /** {@code docker image prune}: {@link ImagePrune}, answered as moby's PruneReport. */
    private void prune(Exchange exchange) {
        ImagePrune.Report report = ImagePrune.run(engine, exchange.filters(), Instant.now());
        ObjectNode answer = Json.object();
        ArrayNode deleted = answer.putArray("ImagesDeleted");
        for (PrunedImage image : report.images()) {
            image.untagged().forEach(name -> deleted.addObject().put("Untagged", name.familiarName()));
            deleted.addObject().put("Deleted", image.id().toString());
        }
        answer.put("SpaceReclaimed", report.spaceReclaimed());
        exchange.json(200, answer);
    }
}
