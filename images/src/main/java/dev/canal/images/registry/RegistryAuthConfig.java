package dev.canal.images.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Engine API's credentials for a registry, docker's {@code AuthConfig}: {@code
 * {"username": "...", "password": "...", "serveraddress": "localhost:5000"}}. {@code POST /auth}
 * has it as its JSON body; {@code POST /images/create} (pull) and {@code POST
 * /images/{name}/push} have it in the {@code X-Registry-Auth} header, base64url encoded
 * (moby's {@code registry.DecodeAuthConfig}). So a daemon endpoint passes what it received here
 * and gets what {@link CredentialLookup#always} and {@link RegistryLogin#verify} take.
 *
 * @param credentials the user name and password, if the config had a user name
 * @param serverAddress the registry the client meant, if it said ({@code /auth} needs it)
 */
public record RegistryAuthConfig(Optional<RegistryCredentials> credentials, Optional<String> serverAddress) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The {@code X-Registry-Auth} header; a missing or empty one means anonymous. */
    public static RegistryAuthConfig fromHeader(String header) {
        if (header == null || header.isBlank()) {
            return new RegistryAuthConfig(Optional.empty(), Optional.empty());
        }
        try {
            return fromJson(Base64.getUrlDecoder().decode(header.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("X-Registry-Auth is not base64url of a JSON auth config", e);
        }
    }

    /** {@code POST /auth}'s body. */
    public static RegistryAuthConfig fromJson(byte[] json) {
        JsonNode config;
        try {
            config = JSON.readTree(new String(json, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    "the registry auth config is not valid JSON: " + e.getOriginalMessage(), e);
        }
        String username = config.path("username").asString("");
        String server = config.path("serveraddress").asString("");
        return new RegistryAuthConfig(
                username.isEmpty()
                        ? Optional.empty()
                        : Optional.of(new RegistryCredentials(
                                username, config.path("password").asString(""))),
                server.isEmpty() ? Optional.empty() : Optional.of(server));
    }
}
