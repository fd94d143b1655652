package dev.canal.images.registry;

import dev.canal.images.ImageReference;
import java.util.Optional;
import java.util.Set;

/**
 * {@code docker login}'s question to a registry: does it accept these credentials? Asked with
 * {@code GET /v2/} ({@link RegistryClient#checkCredentials}); the Engine API's {@code POST
 * /auth} asks the same and stores nothing, {@code canal login} then keeps them in a {@link
 * CredentialStore}.
 */
public final class RegistryLogin {

    private RegistryLogin() {}

    /**
     * The registry a login names, as image references name it: {@code https://localhost:5000/}
     * to {@code localhost:5000}, and Docker Hub's old names ({@code https://index.docker.io/v1/},
     * which the docker CLI still sends) to {@code docker.io}.
     */
    public static String registryName(String given) {
        String host = given.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "").replaceFirst("/.*$", "");
        return host.equals("index.docker.io") || host.equals("registry-1.docker.io") ? ImageReference.DOCKER_HUB : host;
    }

    /** Fails with a one-line {@link RegistryException} when {@code registry} refuses {@code credentials}. */
    public static void verify(String registry, RegistryCredentials credentials, Set<String> insecureRegistries) {
        try (var client =
                new RegistryClient(RegistryEndpoint.of(registry, insecureRegistries), Optional.of(credentials))) {
            client.checkCredentials();
        }
    }
}
