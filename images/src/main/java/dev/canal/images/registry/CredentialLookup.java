package dev.canal.images.registry;

import java.util.Optional;

/** Finds the credentials to use for a registry, named as image references name it ({@code localhost:5000}). */
@FunctionalInterface
public interface CredentialLookup {

    Optional<RegistryCredentials> find(String registry);

    /** Anonymous everywhere. */
    static CredentialLookup none() {
        return registry -> Optional.empty();
    }

    /** These credentials for every registry, as {@code --creds} gives them. */
    static CredentialLookup always(RegistryCredentials credentials) {
        return registry -> Optional.of(credentials);
    }
}
