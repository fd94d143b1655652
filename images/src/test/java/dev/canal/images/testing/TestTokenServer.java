package dev.canal.images.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.canal.images.registry.RegistryCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A token server for Docker's token auth (distribution docs/spec/auth/token.md and jwt.md), small
 * enough to read: it answers {@code GET /token?service=...&scope=repository:NAME:pull} with a JWT
 * signed RS256 by a key whose self-signed certificate (made with openssl at start) is the
 * registry's {@code rootcertbundle}; the certificate travels in the token's {@code x5c} header.
 *
 * <p>Repositories under {@code private/} are granted only to {@link #USER} with {@link #PASSWORD};
 * the rest to anyone, anonymous included. Wrong credentials are refused with 401. Every request's
 * query and whether it carried credentials are recorded for the tests to look at.
 */
public final class TestTokenServer implements AutoCloseable {

    public static final String SERVICE = "canal-test-registry";
    public static final String ISSUER = "canal-test-token-server";
    public static final String USER = "canal";
    public static final String PASSWORD = "canal-test-password";

    /** One token request as received. */
    public record Request(String query, boolean withCredentials) {}

    private final HttpServer server;
    private final Path certificate;
    private final PrivateKey key;
    private final String certificateBase64;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private TestTokenServer(Path directory) throws IOException, InterruptedException {
        Path keyFile = directory.resolve("token-key.pem");
        certificate = directory.resolve("token-cert.pem");
        Tools.run(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=" + ISSUER,
                "-keyout",
                keyFile.toString(),
                "-out",
                certificate.toString());
        try {
            key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pemBody(keyFile)));
            try (InputStream in = Files.newInputStream(certificate)) {
                certificateBase64 = Base64.getEncoder()
                        .encodeToString(CertificateFactory.getInstance("X.509")
                                .generateCertificate(in)
                                .getEncoded());
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the openssl key and certificate do not load: " + e, e);
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::issue);
        server.start();
    }

    public static TestTokenServer start(Path directory) throws IOException, InterruptedException {
        return new TestTokenServer(directory);
    }

    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    public Path certificate() {
        return certificate;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void issue(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(query, authorization != null));
            boolean authenticated = false;
            if (authorization != null) {
                String expected = new RegistryCredentials(USER, PASSWORD).basicAuthorization();
                if (!authorization.equals(expected)) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                authenticated = true;
            }
            byte[] body = ("{\"token\":\"" + jwt(scopes(query), authenticated) + "\",\"expires_in\":300}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /**
     * Grants what the scopes ask for, except private repositories to anonymous requests and
     * anything but pull to them anywhere.
     */
    private String jwt(List<String> scopes, boolean authenticated) {
        var access = new ArrayList<String>();
        for (String scope : scopes) {
            String[] parts = scope.split(":");
            if (parts.length == 3
                    && parts[0].equals("repository")
                    && (authenticated || !parts[1].startsWith("private/"))) {
                String actions = Arrays.stream(parts[2].split(","))
                        .filter(action -> authenticated || action.equals("pull"))
                        .map(action -> "\"" + action + "\"")
                        .collect(Collectors.joining(","));
                access.add("{\"type\":\"repository\",\"name\":\"" + parts[1] + "\",\"actions\":[" + actions + "]}");
            }
        }
        long now = System.currentTimeMillis() / 1000;
        String header = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5c\":[\"" + certificateBase64 + "\"]}";
        String claims =
                "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + (authenticated ? USER : "") + "\",\"aud\":\"" + SERVICE
                        + "\",\"exp\":" + (now + 300) + ",\"nbf\":" + (now - 60) + ",\"iat\":" + now + ",\"jti\":\""
                        + UUID.randomUUID() + "\",\"access\":[" + String.join(",", access) + "]}";
        String signed = base64Url(header) + "." + base64Url(claims);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Every {@code scope} parameter: a client asks for several at once (a mount's two repositories). */
    private static List<String> scopes(String query) {
        var scopes = new ArrayList<String>();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith("scope=")) {
                scopes.add(URLDecoder.decode(pair.substring("scope=".length()), StandardCharsets.UTF_8));
            }
        }
        return scopes;
    }

    private static byte[] pemBody(Path pem) throws IOException {
        String text = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(text);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
