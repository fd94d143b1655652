package dev.canal.images.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.images.Digest;
import dev.canal.images.ImageException;
import dev.canal.images.MediaTypes;
import dev.canal.images.store.ContentStore;
import dev.canal.images.testing.BlobRedirectingProxy;
import dev.canal.images.testing.TestRegistries;
import dev.canal.images.testing.TestRegistry;
import dev.canal.images.testing.TestTokenServer;
import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution protocol against Debian's docker-registry on loopback: manifests in each
 * format, errors, the three ways of authenticating, and blobs verified into the content store.
 */
@RequiresRoot
class RegistryClientTest {

    @TempDir
    static Path directory;

    @RegisterExtension
    static final TestRegistries registries = new TestRegistries();

    @Test
    void anOciManifestByTagComesWithItsDigestAndMediaType() throws Exception {
        try (var client = client(registries.open(), Optional.empty())) {
            VerifiedManifest manifest = client.manifest("bb", "1.0");
            assertEquals(MediaTypes.OCI_MANIFEST, manifest.mediaType());
            assertEquals(registries.images().digestOf("base"), manifest.digest());
            assertEquals(Digest.of(manifest.bytes()), manifest.digest());
        }
    }

    @Test
    void aDockerSchema2ManifestIsAcceptedAsIs() {
        try (var client = client(registries.open(), Optional.empty())) {
            VerifiedManifest manifest = client.manifest("bb-docker", "1.0");
            assertEquals(MediaTypes.DOCKER_MANIFEST, manifest.mediaType());
            assertFalse(manifest.isIndex());
        }
    }

    @Test
    void aManifestByDigestIsTheSameDocument() throws Exception {
        try (var client = client(registries.open(), Optional.empty())) {
            Digest digest = registries.images().digestOf("base");
            VerifiedManifest manifest = client.manifest("bb", digest.toString());
            assertEquals(digest, manifest.digest());
            assertArrayEquals(client.manifest("bb", "1.0").bytes(), manifest.bytes());
        }
    }

    @Test
    void aMultiPlatformTagIsAnIndex() throws Exception {
        try (var client = client(registries.open(), Optional.empty())) {
            VerifiedManifest index = client.manifest("bb", "multi");
            assertTrue(index.isIndex());
            assertEquals(MediaTypes.OCI_INDEX, index.mediaType());
            assertEquals(registries.images().digestOf("multi"), index.digest());
        }
    }

    @Test
    void anUnknownTagIsManifestUnknown() {
        try (var client = client(registries.open(), Optional.empty())) {
            var error = assertThrows(RegistryException.class, () -> client.manifest("bb", "no-such-tag"));
            assertEquals("manifest unknown", error.getMessage());
        }
    }

    @Test
    void anUnreachableRegistryIsNamedWithTheReason() {
        try (var client = new RegistryClient(RegistryEndpoint.of("localhost:1", Set.of()), Optional.empty())) {
            var error = assertThrows(RegistryException.class, () -> client.manifest("bb", "1.0"));
            assertEquals("cannot connect to localhost:1: Connection refused", error.getMessage());
        }
    }

    @Test
    void onlyLoopbackAndListedRegistriesArePlainHttp() {
        assertEquals(
                "http://localhost:5000/v2/",
                RegistryEndpoint.of("localhost:5000", Set.of()).base().toString());
        assertEquals(
                "http://[::1]:5000/v2/",
                RegistryEndpoint.of("[::1]:5000", Set.of()).base().toString());
        assertEquals(
                "http://127.0.0.1/v2/",
                RegistryEndpoint.of("127.0.0.1", Set.of()).base().toString());
        assertEquals(
                "https://registry.example:5000/v2/",
                RegistryEndpoint.of("registry.example:5000", Set.of()).base().toString());
        assertEquals(
                "http://registry.example:5000/v2/",
                RegistryEndpoint.of("registry.example:5000", Set.of("registry.example"))
                        .base()
                        .toString());
        assertEquals(
                "https://registry-1.docker.io/v2/",
                RegistryEndpoint.of("docker.io", Set.of()).base().toString());
    }

    @Test
    void aRemoteRegistryIsHttpsUnlessListedAsInsecure() throws Exception {
        String address = registries.otherLoopback().address();
        try (var client = new RegistryClient(RegistryEndpoint.of(address, Set.of()), Optional.empty())) {
            var error = assertThrows(RegistryException.class, () -> client.manifest("bb", "1.0"));
            assertTrue(error.getMessage().startsWith("TLS with " + address + " failed: "), error.getMessage());
            assertTrue(
                    error.getMessage()
                            .endsWith(" (a registry on plain http must be listed with --insecure-registry " + address
                                    + ")"),
                    error.getMessage());
        }
        try (var client = new RegistryClient(RegistryEndpoint.of(address, Set.of("127.0.0.2")), Optional.empty())) {
            assertEquals(
                    registries.images().digestOf("base"),
                    client.manifest("bb", "1.0").digest());
        }
    }

    @Test
    void anonymousBearerTokensAreFetchedForTheRepositoryScope() throws Exception {
        try (var client = client(registries.tokenAuth(), Optional.empty())) {
            assertEquals(
                    registries.images().digestOf("base"),
                    client.manifest("bb", "1.0").digest());
        }
        assertTrue(
                registries.tokens().requests().stream()
                        .anyMatch(request -> !request.withCredentials()
                                && request.query().contains("scope=repository%3Abb%3Apull")
                                && request.query().contains("service=" + TestTokenServer.SERVICE)),
                registries.tokens().requests().toString());
    }

    @Test
    void aPrivateRepositoryWithoutCredentialsIsUnauthorized() {
        try (var client = client(registries.tokenAuth(), Optional.empty())) {
            var error = assertThrows(RegistryException.class, () -> client.manifest("private/bb", "1.0"));
            assertEquals("unauthorized: authentication required (no credentials were given)", error.getMessage());
        }
    }

    @Test
    void aPrivateRepositoryWithCredentialsGetsATokenForThem() throws Exception {
        var credentials = TestRegistries.CREDENTIALS;
        try (var client = client(registries.tokenAuth(), Optional.of(credentials))) {
            assertEquals(
                    registries.images().digestOf("base"),
                    client.manifest("private/bb", "1.0").digest());
        }
        assertTrue(
                registries.tokens().requests().stream()
                        .anyMatch(request -> request.withCredentials()
                                && request.query().contains("scope=repository%3Aprivate%2Fbb%3Apull")),
                registries.tokens().requests().toString());
    }

    @Test
    void wrongCredentialsAreRefusedByTheTokenServer() {
        var credentials = new RegistryCredentials(TestTokenServer.USER, "wrong");
        try (var client = client(registries.tokenAuth(), Optional.of(credentials))) {
            var error = assertThrows(RegistryException.class, () -> client.manifest("private/bb", "1.0"));
            assertTrue(
                    error.getMessage()
                            .matches(
                                    "unauthorized: the token server 127\\.0\\.0\\.1:\\d+ refused the credentials of canal \\(HTTP 401\\)"),
                    error.getMessage());
        }
    }

    @Test
    void basicAuthSendsTheCredentialsAndWithoutThemSaysWhatIsMissing() throws Exception {
        try (var client = client(registries.basicAuth(), Optional.empty())) {
            var error = assertThrows(RegistryException.class, () -> client.manifest("bb", "1.0"));
            assertEquals(
                    "unauthorized: " + registries.basicAuth().address()
                            + " asks for a user name and password and none was given",
                    error.getMessage());
        }
        var credentials = TestRegistries.CREDENTIALS;
        try (var client = client(registries.basicAuth(), Optional.of(credentials))) {
            assertEquals(
                    registries.images().digestOf("base"),
                    client.manifest("bb", "1.0").digest());
        }
    }

    @Test
    void aBlobIsStreamedIntoTheStoreAndVerified() throws Exception {
        ContentStore store = ContentStore.open(directory.resolve("store-" + System.nanoTime()));
        Digest layer = registries.images().layers("base").getFirst();
        try (var client = client(registries.tokenAuth(), Optional.empty());
                BlobStream blob = client.blob("bb", layer)) {
            store.copy(blob.content(), layer, blob.length());
        }
        assertTrue(store.has(layer));
        assertEquals(Digest.of(Files.readAllBytes(store.blob(layer))), layer);
    }

    @Test
    void aBlobRedirectedToStorageIsFetchedThereWithoutTheRegistrysToken() throws Exception {
        ContentStore store = ContentStore.open(directory.resolve("store-" + System.nanoTime()));
        Digest layer = registries.images().layers("base").getFirst();
        try (var proxy = BlobRedirectingProxy.start(registries.tokenAuth(), registries.open());
                var client = new RegistryClient(RegistryEndpoint.of(proxy.address(), Set.of()), Optional.empty())) {
            try (BlobStream blob = client.blob("bb", layer)) {
                store.copy(blob.content(), layer, blob.length());
            }
            assertEquals(List.of(false), proxy.storageRequestsWithAuthorization());
        }
        assertTrue(store.has(layer));
    }

    @Test
    void aTamperedBlobFailsItsDigestAndLeavesNothing() throws Exception {
        Digest layer = registries.images().layers("tampered").getLast();
        registries.tamper(layer);
        ContentStore store = ContentStore.open(directory.resolve("store-" + System.nanoTime()));
        try (var client = client(registries.open(), Optional.empty());
                BlobStream blob = client.blob("tampered", layer)) {
            var error = assertThrows(ImageException.class, () -> store.copy(blob.content(), layer, blob.length()));
            assertTrue(
                    error.getMessage()
                            .startsWith("blob " + layer + " does not match its content, whose digest is sha256:"),
                    error.getMessage());
        }
        assertFalse(store.has(layer));
        try (Stream<Path> temporary = Files.list(store.temporaryDirectory())) {
            assertEquals(0, temporary.count(), "no partial blob left");
        }
    }

    private static RegistryClient client(TestRegistry registry, Optional<RegistryCredentials> credentials) {
        return new RegistryClient(RegistryEndpoint.of(registry.address(), Set.of()), credentials);
    }
}
