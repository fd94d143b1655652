package dev.canal.images.registry;

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

    /** Fails with a one-line {@link RegistryException} when {@code registry} refuses {@code credentials}. */
    public static void verify(String registry, RegistryCredentials credentials, Set<String> insecureRegistries) {
        try (var client =
                new RegistryClient(RegistryEndpoint.of(registry, insecureRegistries), Optional.of(credentials))) {
            client.checkCredentials();
        }
    }
}
