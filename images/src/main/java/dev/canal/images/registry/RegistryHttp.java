package dev.canal.images.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * The JDK's {@link HttpClient} as a registry client uses it: one client per registry, redirects
 * left to the caller (a blob's redirect to storage must not carry the registry's credentials),
 * and failures to connect turned into one-line messages that name the host.
 */
final class RegistryHttp implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final String USER_AGENT = "canal (+https://github.com/opencontainers/distribution-spec)";

    private final RegistryEndpoint endpoint;
    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();

    RegistryHttp(RegistryEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    RegistryEndpoint endpoint() {
        return endpoint;
    }

    /** Sends the request; the body arrives as a stream the caller must close. */
    HttpResponse<InputStream> exchange(HttpRequest.Builder request, String peer) {
        return send(request, HttpResponse.BodyHandlers.ofInputStream(), peer);
    }

    /** Sends the request and reads the whole (small) body. */
    HttpResponse<byte[]> exchangeForBytes(HttpRequest.Builder request, String peer) {
        return send(request, HttpResponse.BodyHandlers.ofByteArray(), peer);
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, BodyHandler<T> body, String peer) {
        try {
            return client.send(request.header("User-Agent", USER_AGENT).build(), body);
        } catch (HttpTimeoutException e) {
            throw new RegistryException(peer + " did not answer within " + CONNECT_TIMEOUT.toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw new RegistryException(
                    "cannot connect to " + peer + ": "
                            + connectFailure(request.build().uri(), e),
                    e);
        } catch (SSLException e) {
            throw new RegistryException(
                    "TLS with " + peer + " failed: " + rootMessage(e)
                            + " (a registry on plain http must be listed with --insecure-registry " + peer + ")",
                    e);
        } catch (IOException e) {
            throw new RegistryException("talking to " + peer + ": " + rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while talking to " + peer, e);
        }
    }

    /**
     * Why a connection failed. HttpClient's ConnectException carries no message (the socket
     * error surfaces as a bare ClosedChannelException), so the reason is asked of the operating
     * system again with one plain connect(2), which says "Connection refused" or "No route to host".
     */
    private static String connectFailure(URI uri, ConnectException error) {
        String reason = rootMessage(error);
        if (!reason.endsWith("Exception")) {
            return reason;
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), (int) CONNECT_TIMEOUT.toMillis());
            return reason;
        } catch (UnknownHostException e) {
            return "unknown host";
        } catch (IOException e) {
            return e.getMessage() == null ? reason : e.getMessage();
        }
    }

    /**
     * The innermost cause's message: HttpClient wraps the socket's "Connection refused" in
     * exceptions of its own, some without a message.
     */
    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }

    @Override
    public void close() {
        client.close();
    }
}
