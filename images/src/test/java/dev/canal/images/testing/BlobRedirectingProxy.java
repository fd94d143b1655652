package dev.canal.images.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A registry front that sends blobs elsewhere, as Docker Hub, GHCR or ECR do (to S3 or a CDN with
 * a signed URL). Requests are passed to a real registry; a blob GET is checked there with a HEAD
 * (so authentication still applies) and answered with {@code 307} to {@code
 * http://localhost:PORT/storage/...}: another authority than the {@code 127.0.0.1:PORT} the client
 * was given. The storage side records whether an {@code Authorization} header reached it and
 * serves the bytes from an open registry over the same storage.
 */
public final class BlobRedirectingProxy implements AutoCloseable {

    private static final List<String> RELAYED_HEADERS =
            List.of("Content-Type", "Docker-Content-Digest", "WWW-Authenticate");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI registry;
    private final URI storage;
    private final List<Boolean> storageRequestsWithAuthorization = new CopyOnWriteArrayList<>();

    private BlobRedirectingProxy(TestRegistry registry, TestRegistry openRegistryOverTheSameStorage)
            throws IOException {
        this.registry = URI.create("http://" + registry.address());
        this.storage = URI.create("http://" + openRegistryOverTheSameStorage.address());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v2/", this::registryApi);
        server.createContext("/storage/", this::storage);
        server.start();
    }

    /** A proxy in front of {@code registry}, serving blobs from {@code openRegistryOverTheSameStorage}. */
    public static BlobRedirectingProxy start(TestRegistry registry, TestRegistry openRegistryOverTheSameStorage)
            throws IOException {
        return new BlobRedirectingProxy(registry, openRegistryOverTheSameStorage);
    }

    /** {@code 127.0.0.1:PORT}: the registry's name for clients. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** For each blob fetched from storage, whether it came with an {@code Authorization} header. */
    public List<Boolean> storageRequestsWithAuthorization() {
        return List.copyOf(storageRequestsWithAuthorization);
    }

    private void registryApi(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            boolean blob = path.contains("/blobs/");
            HttpResponse<InputStream> answer = forward(exchange, registry.resolve(path), blob ? "HEAD" : "GET");
            try (InputStream body = answer.body()) {
                for (String name : RELAYED_HEADERS) {
                    answer.headers()
                            .allValues(name)
                            .forEach(value -> exchange.getResponseHeaders().add(name, value));
                }
                if (blob && answer.statusCode() == 200) {
                    exchange.getResponseHeaders()
                            .set(
                                    "Location",
                                    "http://localhost:" + server.getAddress().getPort() + "/storage"
                                            + path.substring("/v2".length()));
                    exchange.sendResponseHeaders(307, -1);
                    return;
                }
                byte[] bytes = body.readAllBytes();
                exchange.sendResponseHeaders(answer.statusCode(), bytes.length == 0 ? -1 : bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    private void storage(HttpExchange exchange) throws IOException {
        try (exchange) {
            storageRequestsWithAuthorization.add(exchange.getRequestHeaders().containsKey("Authorization"));
            String path = "/v2" + exchange.getRequestURI().getRawPath().substring("/storage".length());
            HttpResponse<InputStream> answer = forward(exchange, storage.resolve(path), "GET");
            try (InputStream body = answer.body()) {
                exchange.sendResponseHeaders(
                        answer.statusCode(),
                        answer.headers().firstValueAsLong("Content-Length").orElse(0));
                body.transferTo(exchange.getResponseBody());
            }
        }
    }

    private HttpResponse<InputStream> forward(HttpExchange exchange, URI target, String method) throws IOException {
        var request = HttpRequest.newBuilder(target).method(method, HttpRequest.BodyPublishers.noBody());
        for (String name : List.of("Accept", "Authorization")) {
            String value = exchange.getRequestHeaders().getFirst(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        client.close();
    }
}
