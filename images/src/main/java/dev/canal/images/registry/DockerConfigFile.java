package dev.canal.images.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A docker client configuration file, {@code $DOCKER_CONFIG/config.json} or {@code
 * ~/.docker/config.json}, as far as credentials go:
 * <pre>{
 *   "auths": {"localhost:5000": {"auth": "base64(user:password)"}, "https://index.docker.io/v1/": {}},
 *   "credsStore": "pass",
 *   "credHelpers": {"registry.example": "secretservice"}
 * }</pre>
 * {@code auths} keys may be bare hosts or URLs ({@code https://index.docker.io/v1/} is Docker
 * Hub's); each is reduced to its host, as docker does. Everything else in the file (proxies,
 * aliases, other tools' settings) is kept as it was when the file is written back.
 */
final class DockerConfigFile {

    /** The key docker writes for Docker Hub, for history's sake its v1 API's URL. */
    static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private final ObjectNode root;

    private DockerConfigFile(Path file, ObjectNode root) {
        this.file = file;
        this.root = root;
    }

    /** The default file: {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
    static Path defaultFile() {
        String dockerConfig = System.getenv("DOCKER_CONFIG");
        return dockerConfig != null && !dockerConfig.isEmpty()
                ? Path.of(dockerConfig, "config.json")
                : Path.of(System.getProperty("user.home"), ".docker", "config.json");
    }

    /** Reads {@code file}; a missing file is an empty configuration. */
    static DockerConfigFile read(Path file) {
        if (!Files.exists(file)) {
            return new DockerConfigFile(file, JSON.createObjectNode());
        }
        try {
            JsonNode tree = JSON.readTree(Files.readString(file));
            if (!(tree instanceof ObjectNode object)) {
                throw new IllegalArgumentException(file + ": not a JSON object");
            }
            return new DockerConfigFile(file, object);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    Path file() {
        return file;
    }

    /** The {@code auths} object, made if missing. */
    ObjectNode auths() {
        return root.has("auths") && root.get("auths") instanceof ObjectNode auths ? auths : root.putObject("auths");
    }

    /**
     * The credential helper for {@code registry}: its own in {@code credHelpers}, else the
     * general {@code credsStore}, else none (the passwords are in {@code auths}).
     */
    Optional<CredentialHelper> helperFor(String registry) {
        String own = root.path("credHelpers").path(registry).asString("");
        String general = root.path("credsStore").asString("");
        String name = own.isEmpty() ? general : own;
        return name.isEmpty() ? Optional.empty() : Optional.of(CredentialHelper.named(name));
    }

    /**
     * Writes the file back: to a temporary file made 0600 before anything is in it (it holds
     * passwords, as docker's is), then renamed over the old one, so a reader sees the old or
     * the new file whole. A missing directory is made 0700.
     */
    void write() {
        try {
            Path directory = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(
                        directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path temporary = Files.createTempFile(
                    directory,
                    file.getFileName() + ".",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The {@code auths} key docker uses for {@code registry}: Docker Hub's URL, else the host and port. */
    static String keyOf(String registry) {
        return registry.equals("docker.io") ? DOCKER_HUB_KEY : registry;
    }

    /** {@code https://index.docker.io/v1/} to {@code index.docker.io}; {@code localhost:5000} stays. */
    static String hostOf(String key) {
        String host = key.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int slash = host.indexOf('/');
        return slash < 0 ? host : host.substring(0, slash);
    }
}
