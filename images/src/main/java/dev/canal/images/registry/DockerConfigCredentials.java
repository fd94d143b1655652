package dev.canal.images.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Credentials from a docker client configuration ({@code ~/.docker/config.json}, or {@code
 * $DOCKER_CONFIG/config.json}), as {@code docker login} writes them:
 * <pre>{"auths": {"localhost:5000": {"auth": "base64(user:password)"}}}</pre>
 * Keys may be bare hosts or URLs ({@code https://index.docker.io/v1/} is Docker Hub's); each is
 * reduced to its host, as docker does. Credential helpers ({@code credsStore}, {@code
 * credHelpers}) are external programs and are not run.
 */
public final class DockerConfigCredentials implements CredentialLookup {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DOCKER_HUB_KEY = "index.docker.io";

    private final Map<String, RegistryCredentials> byHost;

    private DockerConfigCredentials(Map<String, RegistryCredentials> byHost) {
        this.byHost = Map.copyOf(byHost);
    }

    /** The default file: {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
    public static Path defaultFile() {
        String dockerConfig = System.getenv("DOCKER_CONFIG");
        return dockerConfig != null && !dockerConfig.isEmpty()
                ? Path.of(dockerConfig, "config.json")
                : Path.of(System.getProperty("user.home"), ".docker", "config.json");
    }

    /** Reads {@code file}; a missing file means no credentials. */
    public static DockerConfigCredentials read(Path file) {
        if (!Files.exists(file)) {
            return new DockerConfigCredentials(Map.of());
        }
        try {
            JsonNode auths = JSON.readTree(Files.readString(file)).path("auths");
            var byHost = new HashMap<String, RegistryCredentials>();
            for (var entry : auths.properties()) {
                String source = file + ": auths." + entry.getKey();
                credentialsOf(entry.getValue(), source).ifPresent(c -> byHost.put(hostOf(entry.getKey()), c));
            }
            return new DockerConfigCredentials(byHost);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public Optional<RegistryCredentials> find(String registry) {
        return Optional.ofNullable(byHost.get(registry.equals("docker.io") ? DOCKER_HUB_KEY : registry));
    }

    /** {@code auth} (base64 of user:password) or {@code username} and {@code password}. */
    private static Optional<RegistryCredentials> credentialsOf(JsonNode entry, String source) {
        String auth = entry.path("auth").asString("");
        if (!auth.isEmpty()) {
            try {
                return Optional.of(RegistryCredentials.parse(
                        new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8), source + ".auth"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ".auth: not base64 of USER:PASSWORD", e);
            }
        }
        String username = entry.path("username").asString("");
        return username.isEmpty()
                ? Optional.empty()
                : Optional.of(
                        new RegistryCredentials(username, entry.path("password").asString("")));
    }

    /** {@code https://index.docker.io/v1/} to {@code index.docker.io}; {@code localhost:5000} stays. */
    private static String hostOf(String key) {
        String host = key.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int slash = host.indexOf('/');
        return slash < 0 ? host : host.substring(0, slash);
    }
}
