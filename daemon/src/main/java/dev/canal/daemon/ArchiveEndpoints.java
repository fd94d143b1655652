package dev.canal.daemon;

import dev.canal.engine.ContainerArchive;
import dev.canal.engine.ContainerArchive.PathStat;
import dev.canal.engine.Engine;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code /containers/{id}/archive} ({@code docker cp}): HEAD stats a path, GET exports it as a tar
 * stream, PUT extracts a tar stream into a directory (https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Container/operation/ContainerArchive).
 * The engine's {@code withRoot} gives the container's root: /proc/PID/root of a running one, its
 * overlay mounted for the time of the copy for a stopped one.
 */
final class ArchiveEndpoints {
    private final Engine engine;

    ArchiveEndpoints(Engine engine) {
        this.engine = engine;
    }

    void stat(Exchange exchange) throws IOException {
        String path = path(exchange);
        PathStat stat = engine.withRoot(exchange.path(0), root -> ContainerArchive.stat(root, path));
        exchange.response.getHeaders().put("X-Docker-Container-Path-Stat", header(stat));
        exchange.empty(200);
    }

    void get(Exchange exchange) throws IOException {
        String path = path(exchange);
        engine.withRoot(exchange.path(0), root -> {
            PathStat stat = ContainerArchive.stat(root, path);
            exchange.response.getHeaders().put("X-Docker-Container-Path-Stat", header(stat));

            try (OutputStream out = exchange.stream(200, "application/x-tar")) {
                ContainerArchive.export(root, path, out);
            }

            return null;
        });
    }

    void put(Exchange exchange) throws IOException {
        String path = path(exchange);
        engine.withRoot(exchange.path(0), root -> {
            ContainerArchive.extract(root, path, exchange.bodyStream());
            return null;
        });
        exchange.empty(200);
    }

    private static String path(Exchange exchange) {
        String path = exchange.query("path");
        if (path == null || path.isEmpty()) {
            throw ApiException.badRequest("path is required");
        }
        return path.startsWith("/") ? path : "/" + path;
    }

    /**
     * The X-Docker-Container-Path-Stat header: base64 of a JSON stat, which the CLI reads before
     * it copies to know whether the path is a file, a directory or a link.
     */
    private static String header(PathStat stat) {
        byte[] json = Exchange.JSON
                .writeValueAsString(Json.object()
                        .put("name", stat.name())
                        .put("size", stat.size())
                        .put("mode", stat.mode())
                        .put("mtime", stat.mtime())
                        .put("linkTarget", stat.linkTarget()))
                .getBytes(StandardCharsets.UTF_8);
        return Base64.getEncoder().encodeToString(json);
    }
}
