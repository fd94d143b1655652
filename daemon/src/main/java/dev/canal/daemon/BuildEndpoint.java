package dev.canal.daemon;

import dev.canal.engine.ContainerArchive;
import dev.canal.engine.Engine;
import dev.canal.engine.build.BuildLog;
import dev.canal.engine.build.BuildRequest;
import dev.canal.engine.build.ImageBuilder;
import dev.canal.images.Image;
import dev.canal.images.ImageReference;
import dev.canal.images.layer.Compression;
import dev.canal.images.store.FileTrees;
import dev.canal.runtime.rootfs.RootDirectory;
import dev.canal.runtime.sys.OwnedFd;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /build} (ImageBuild,
 * https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Image/operation/ImageBuild), what
 * {@code DOCKER_BUILDKIT=0 docker build} calls: the body is the build context as a tar (gzip
 * allowed), unpacked into a directory of the store's for the build and deleted after it; the query
 * has the tags ({@code t}), {@code dockerfile}, {@code buildargs} and {@code labels} (JSON objects),
 * {@code target}, {@code nocache} and {@code networkmode}. The answer is the classic builder's
 * stream, one JSON object a line: {@code {"stream": TEXT}} as the build goes, then
 * {@code {"aux": {"ID": "sha256:..."}}}; a failure before any output is a plain error answer (the
 * CLI prints it after "Error response from daemon:"), one after is {@code errorDetail} in the
 * stream. {@code rm} and {@code forcerm} are accepted: a step's container is always removed.
 */
final class BuildEndpoint {
    private final Engine engine;

    BuildEndpoint(Engine engine) {
        this.engine = engine;
    }

    void register(Routes routes) {
        routes.add("POST", "/build", this::build);
    }

    private void build(Exchange exchange) throws IOException {
        Path context = Files.createTempDirectory(engine.images().content().temporaryDirectory(), "build-");
        var stream = new LazyStream(exchange);
        try {
            try (InputStream body = Compression.decompress(exchange.bodyStream())) {
                ContainerArchive.extract(context, "/", body);
            }
            String dockerfileName = exchange.query("dockerfile");
            var request = new BuildRequest(
                    context,
                    dockerfile(
                            context,
                            dockerfileName == null || dockerfileName.isEmpty() ? "Dockerfile" : dockerfileName),
                    exchange.queries("t").stream().map(ImageReference::parse).toList(),
                    jsonMap(exchange.query("buildargs"), "buildargs"),
                    exchange.query("target"),
                    exchange.flag("nocache", false),
                    jsonMap(exchange.query("labels"), "labels"),
                    exchange.query("networkmode"));
            Image image = new ImageBuilder(engine).build(request, stream);
            ObjectNode aux = Json.object();
            aux.putObject("aux").put("ID", image.id().toString());
            stream.send(aux);
        } catch (RuntimeException e) {
            if (!stream.started()) {
                throw e;
            }
            ObjectNode error = Json.object();
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            error.putObject("errorDetail").put("message", message);
            stream.send(error.put("error", message));
        } finally {
            stream.close();
            FileTrees.delete(context);
        }
    }

    /** The Dockerfile's text, its path resolved inside the context (a symlink cannot lead out). */
    private static String dockerfile(Path context, String name) throws IOException {
        try (RootDirectory root = RootDirectory.open(context.toString());
                OwnedFd file = root.resolve(name)) {
            return Files.readString(Path.of(RootDirectory.procPath(file)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "Cannot locate specified Dockerfile: " + name + " (" + e.getMessage() + ")");
        }
    }

    /** A query value holding a JSON object of strings ({@code {"A":"1"}}); a null value stays null. */
    private static Map<String, String> jsonMap(String text, String parameter) {
        var map = new LinkedHashMap<String, String>();
        if (text == null || text.isEmpty()) {
            return map;
        }
        JsonNode node;
        try {
            node = Exchange.JSON.readTree(text);
        } catch (RuntimeException e) {
            throw ApiException.badRequest(parameter + " is not a JSON object: " + text);
        }
        node.properties()
                .forEach(entry -> map.put(
                        entry.getKey(),
                        entry.getValue().isNull() ? null : entry.getValue().asString()));
        return map;
    }

    /** The build's stream, its 200 sent with the first text: a failure before that is a plain error. */
    private static final class LazyStream implements BuildLog {
        private final Exchange exchange;
        private OutputStream out;

        LazyStream(Exchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public void text(String text) {
            send(Json.object().put("stream", text));
        }

        boolean started() {
            return out != null;
        }

        synchronized void send(ObjectNode message) {
            try {
                if (out == null) {
                    out = exchange.stream(200, "application/json");
                }
                out.write(Exchange.JSON.writeValueAsBytes(message));
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void close() throws IOException {
            if (out != null) {
                out.close();
            }
        }
    }
}
