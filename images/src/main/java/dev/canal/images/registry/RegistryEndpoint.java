package dev.canal.images.registry;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Where a registry's API lives. Registries are spoken to over https; plain http only for a
 * registry on the loopback interface or one the user named as insecure ({@code
 * --insecure-registry HOST}), as dockerd does. Docker Hub's name in image references,
 * {@code docker.io}, is served from {@code registry-1.docker.io}.
 *
 * @param name the registry as image references name it ({@code docker.io}, {@code localhost:5000})
 * @param base the API root, ending in {@code /v2/}
 */
public record RegistryEndpoint(String name, URI base) {

    private static final String DOCKER_HUB = "docker.io";
    private static final String DOCKER_HUB_API = "registry-1.docker.io";

    /** The endpoint for {@code registry} (host with optional port), given the hosts allowed plain http. */
    public static RegistryEndpoint of(String registry, Set<String> insecureRegistries) {
        String host = registry.equals(DOCKER_HUB) ? DOCKER_HUB_API : registry;
        String scheme = isLoopback(host) || isListed(host, insecureRegistries) ? "http" : "https";
        return new RegistryEndpoint(registry, URI.create(scheme + "://" + host + "/v2/"));
    }

    /** The API URI for {@code path} below {@code /v2/}, such as {@code bb/manifests/1.0}. */
    public URI resolve(String path) {
        return base.resolve(path);
    }

    /** Host and port, as messages name the registry: {@code localhost:1}. */
    public String authority() {
        return base.getAuthority();
    }

    private static boolean isLoopback(String host) {
        String name = hostWithoutPort(host);
        return name.equals("localhost") || name.equals("[::1]") || name.equals("127.0.0.1");
    }

    /** Entries may name the host alone ({@code myhost}) or with its port ({@code myhost:5000}). */
    private static boolean isListed(String host, Set<String> insecureRegistries) {
        String lower = host.toLowerCase(Locale.ROOT);
        return insecureRegistries.stream()
                .map(entry -> entry.toLowerCase(Locale.ROOT))
                .anyMatch(entry -> entry.equals(lower) || entry.equals(hostWithoutPort(lower)));
    }

    /** {@code [::1]:5000} to {@code [::1]}, {@code localhost:5000} to {@code localhost}. */
    private static String hostWithoutPort(String host) {
        int colon = host.lastIndexOf(':');
        int bracket = host.lastIndexOf(']');
        return colon > bracket ? host.substring(0, colon) : host;
    }
}
