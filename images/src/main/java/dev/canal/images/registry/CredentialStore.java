package dev.canal.images.registry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * Where {@code canal login} keeps credentials and {@code canal logout} takes them away: docker's
 * config.json ({@link DockerConfigFile}), so that docker and canal share one login. With a
 * credential helper configured for the registry the password goes to the helper and {@code
 * auths} gets an empty entry, as docker writes it; otherwise {@code auths} holds {@code
 * {"auth": base64(user:password)}} in a file only its owner can read (0600).
 */
public final class CredentialStore {

    private final Path file;

    private CredentialStore(Path file) {
        this.file = file;
    }

    /** The store in {@code file}, which need not exist yet. */
    public static CredentialStore in(Path file) {
        return new CredentialStore(file);
    }

    /** The store docker uses: {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
    public static CredentialStore standard() {
        return in(DockerConfigFile.defaultFile());
    }

    public Path file() {
        return file;
    }

    /** The credentials pulls and pushes use: what this store holds. */
    public CredentialLookup lookup() {
        return DockerConfigCredentials.read(file);
    }

    /**
     * Keeps {@code credentials} for {@code registry} (as image names give it: {@code
     * localhost:5000}, {@code docker.io}); returns the helper that holds them, if one does.
     */
    public Optional<CredentialHelper> save(String registry, RegistryCredentials credentials) {
        DockerConfigFile config = DockerConfigFile.read(file);
        String key = DockerConfigFile.keyOf(registry);
        Optional<CredentialHelper> helper = config.helperFor(registry);
        var entry = config.auths().putObject(key);
        if (helper.isPresent()) {
            helper.get().store(key, credentials);
        } else {
            entry.put(
                    "auth",
                    Base64.getEncoder()
                            .encodeToString((credentials.username() + ":" + credentials.password())
                                    .getBytes(StandardCharsets.UTF_8)));
        }
        config.write();
        return helper;
    }

    /** Forgets {@code registry}'s credentials, in its helper and in {@code auths}; false if there were none. */
    public boolean erase(String registry) {
        DockerConfigFile config = DockerConfigFile.read(file);
        String key = DockerConfigFile.keyOf(registry);
        boolean inHelper =
                config.helperFor(registry).map(helper -> helper.erase(key)).orElse(false);
        boolean inFile = config.auths().remove(key) != null;
        if (inFile) {
            config.write();
        }
        return inHelper || inFile;
    }
}
