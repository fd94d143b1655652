package dev.canal.cli.image;

import dev.canal.images.registry.CredentialLookup;
import dev.canal.images.registry.CredentialStore;
import dev.canal.images.registry.RegistryCredentials;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The options of the commands that talk to a registry ({@code pull}, {@code push}, {@code
 * login}): which registries may be spoken to over plain http, and whose credentials to use.
 */
public final class RegistryAccess {

    /** The help's footer of the commands that talk to a registry (picocli's %n is a line break). */
    static final String FOOTER = "%nRegistries are spoken to over https, except on localhost, 127.0.0.1, [::1]%n"
            + "and the hosts named with --insecure-registry. Credentials come from --creds,%n"
            + "$CANAL_REGISTRY_CREDS or canal login (docker's config.json and credential helpers).";

    @Option(
            names = "--insecure-registry",
            paramLabel = "HOST",
            description = "Use plain http for this registry (host or host:port); may be repeated.")
    List<String> insecureRegistries = List.of();

    @Option(
            names = "--creds",
            paramLabel = "USER:PASSWORD",
            defaultValue = "${env:CANAL_REGISTRY_CREDS}",
            description = "Credentials for the registry (default: $CANAL_REGISTRY_CREDS, else those canal login or"
                    + " docker login stored in $DOCKER_CONFIG/config.json or ~/.docker/config.json).")
    String credentials;

    /** The hosts named with {@code --insecure-registry}. */
    Set<String> insecureRegistries() {
        return Set.copyOf(insecureRegistries);
    }

    /** {@code --creds} (or its environment variable) for every registry, else what a login stored. */
    CredentialLookup credentialLookup() {
        return credentials == null || credentials.isEmpty()
                ? CredentialStore.standard().lookup()
                : CredentialLookup.always(RegistryCredentials.parse(credentials, "--creds"));
    }
}
