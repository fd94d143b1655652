package dev.canal.images.registry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Credentials from a docker client configuration ({@link DockerConfigFile}), as {@code docker
 * login} (or {@code canal login}) left them: from the registry's credential helper when the
 * file names one ({@code credHelpers}, else {@code credsStore}), else, or when the helper has
 * none, from {@code auths}, where {@code auth} is base64 of {@code user:password}.
 */
public final class DockerConfigCredentials implements CredentialLookup {

    private static final String DOCKER_HUB_HOST = "index.docker.io";

    private final DockerConfigFile config;
    private final Map<String, RegistryCredentials> byHost;

    private DockerConfigCredentials(DockerConfigFile config, Map<String, RegistryCredentials> byHost) {
        this.config = config;
        this.byHost = Map.copyOf(byHost);
    }

    /** The default file: {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
    public static Path defaultFile() {
        return DockerConfigFile.defaultFile();
    }

    /** Reads {@code file}; a missing file means no credentials. */
    public static DockerConfigCredentials read(Path file) {
        DockerConfigFile config = DockerConfigFile.read(file);
        var byHost = new HashMap<String, RegistryCredentials>();
        for (var entry : config.auths().properties()) {
            String source = file + ": auths." + entry.getKey();
            credentialsOf(entry.getValue(), source)
                    .ifPresent(c -> byHost.put(DockerConfigFile.hostOf(entry.getKey()), c));
        }
        return new DockerConfigCredentials(config, byHost);
    }

    @Override
    public Optional<RegistryCredentials> find(String registry) {
        Optional<RegistryCredentials> fromHelper =
                config.helperFor(registry).flatMap(helper -> helper.get(DockerConfigFile.keyOf(registry)));
        return fromHelper.or(
                () -> Optional.ofNullable(byHost.get(registry.equals("docker.io") ? DOCKER_HUB_HOST : registry)));
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
}
