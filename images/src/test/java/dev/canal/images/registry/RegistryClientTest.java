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
import dev.canal.runtime.testing.RequiresRoot;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution protocol against Debian's docker-registry on loopback: manifests in each
 * format, errors, the three ways of authenticating, and blobs verified into the content store.
 */
@RequiresRoot
class RegistryClientTest {

    /** bcrypt (cost 4, the registry accepts only bcrypt) of {@link TestTokenServer#PASSWORD} for user canal. */
    private static final String HTPASSWD = "canal:$2b$04$Fg/Euo3ae9CoRmt72ishIOAHKURBef/ByAgctazUFiAj86ZTjIOGe";

    @TempDir
    static Path directory;

    private static TestImages images;
    private static TestRegistry open;
    private static TestTokenServer tokens;
    private static TestRegistry tokenAuth;
    private static TestRegistry basicAuth;

    @BeforeAll
    static void pushImages() throws Exception {
        Path storage = Files.createDirectory(directory.resolve("storage"));
        open = TestRegistry.open(directory, storage);
        tokens = TestTokenServer.start(directory);
        tokenAuth = TestRegistry.withTokens(directory, storage, tokens);
        basicAuth = TestRegistry.withHtpasswd(directory, storage, HTPASSWD);
        images = new TestImages(Files.createDirectory(directory.resolve("images")));
        images.busybox("base");
        images.withFile("base", "tampered", "etc/unique", "only in the image whose layer is tampered with\n");
        images.push("base", open.address() + "/bb:1.0", false);
        images.push("base", open.address() + "/bb-docker:1.0", true);
        images.push("base", open.address() + "/private/bb:1.0", false);
        images.push("tampered", open.address() + "/tampered:1.0", false);
    }

    @AfterAll
    static void stopRegistries() throws InterruptedException {
        for (TestRegistry registry : new TestRegistry[] {open, tokenAuth, basicAuth}) {
            if (registry != null) {
                registry.close();
            }
        }
        if (tokens != null) {
            tokens.close();
        }
    }

    @Test
    void anOciManifestByTagComesWithItsDigestAndMediaType() throws Exception {
        try (var client = client(open, Optional.empty())) {
            VerifiedManifest manifest = client.manifest("bb", "1.0");
            assertEquals(MediaTypes.OCI_MANIFEST, manifest.mediaType());
            assertEquals(images.digestOf("base"), manifest.digest());
            assertEquals(Digest.of(manifest.bytes()), manifest.digest());
        }
    }

    @Test
    void aDockerSchema2ManifestIsAcceptedAsIs() {
        try (var client = client(open, Optional.empty())) {
            VerifiedManifest manifest = client.manifest("bb-docker", "1.0");
            assertEquals(MediaTypes.DOCKER_MANIFEST, manifest.mediaType());
            assertFalse(manifest.isIndex());
        }
    }

    @Test
    void aManifestByDigestIsTheSameDocument() throws Exception {
        try (var client = client(open, Optional.empty())) {
            Digest digest = images.digestOf("base");
            VerifiedManifest manifest = client.manifest("bb", digest.toString());
            assertEquals(digest, manifest.digest());
            assertArrayEquals(client.manifest("bb", "1.0").bytes(), manifest.bytes());
        }
    }

    @Test
    void anUnknownTagIsManifestUnknown() {
        try (var client = client(open, Optional.empty())) {
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
        assertEquals("http://localhost:5000/v2/", RegistryEndpoint.of("localhost:5000", Set.of()).base().toString());
        assertEquals("http://[::1]:5000/v2/", RegistryEndpoint.of("[::1]:5000", Set.of()).base().toString());
        assertEquals("http://127.0.0.1/v2/", RegistryEndpoint.of("127.0.0.1", Set.of()).base().toString());
        assertEquals("https://registry.example:5000/v2/", RegistryEndpoint.of("registry.example:5000", Set.of()).base().toString());
        assertEquals("http://registry.example:5000/v2/",
                RegistryEndpoint.of("registry.example:5000", Set.of("registry.example")).base().toString());
        assertEquals("https://registry-1.docker.io/v2/", RegistryEndpoint.of("docker.io", Set.of()).base().toString());
    }

    @Test
    void anonymousBearerTokensAreFetchedForTheRepositoryScope() throws Exception {
        try (var client = client(tokenAuth, Optional.empty())) {
            assertEquals(images.digestOf("base"), client.manifest("bb", "1.0").digest());
        }
        assertTrue(tokens.requests().stream().anyMatch(request -> !request.withCredentials()
                && request.query().contains("scope=repository%3Abb%3Apull")
                && request.query().contains("service=" + TestTokenServer.SERVICE)), tokens.requests().toString());
    }

    @Test
    void aPrivateRepositoryWithoutCredentialsIsUnauthorized() {
        try (var client = client(tokenAuth, Optional.empty())) {
            var error = assertThrows(RegistryException.class, () -> client.manifest("private/bb", "1.0"));
            assertEquals("unauthorized: authentication required (no credentials were given)", error.getMessage());
        }
    }

    @Test
    void aPrivateRepositoryWithCredentialsGetsATokenForThem() throws Exception {
        var credentials = new RegistryCredentials(TestTokenServer.USER, TestTokenServer.PASSWORD);
        try (var client = client(tokenAuth, Optional.of(credentials))) {
            assertEquals(images.digestOf("base"), client.manifest("private/bb", "1.0").digest());
        }
        assertTrue(tokens.requests().stream().anyMatch(request -> request.withCredentials()
                && request.query().contains("scope=repository%3Aprivate%2Fbb%3Apull")), tokens.requests().toString());
    }

    @Test
    void wrongCredentialsAreRefusedByTheTokenServer() {
        var credentials = new RegistryCredentials(TestTokenServer.USER, "wrong");
        try (var client = client(tokenAuth, Optional.of(credentials))) {
            var error = assertThrows(RegistryException.class, () -> client.manifest("private/bb", "1.0"));
            assertTrue(error.getMessage().matches(
                    "unauthorized: the token server 127\\.0\\.0\\.1:\\d+ refused the credentials of canal \\(HTTP 401\\)"),
                    error.getMessage());
        }
    }

    @Test
    void basicAuthSendsTheCredentialsAndWithoutThemSaysWhatIsMissing() throws Exception {
        try (var client = client(basicAuth, Optional.empty())) {
            var error = assertThrows(RegistryException.class, () -> client.manifest("bb", "1.0"));
            assertEquals("unauthorized: " + basicAuth.address() + " asks for a user name and password and none was given",
                    error.getMessage());
        }
        var credentials = new RegistryCredentials(TestTokenServer.USER, TestTokenServer.PASSWORD);
        try (var client = client(basicAuth, Optional.of(credentials))) {
            assertEquals(images.digestOf("base"), client.manifest("bb", "1.0").digest());
        }
    }

    @Test
    void aBlobIsStreamedIntoTheStoreAndVerified() throws Exception {
        ContentStore store = ContentStore.open(directory.resolve("store-" + System.nanoTime()));
        Digest layer = images.layers("base").getFirst();
        try (var client = client(tokenAuth, Optional.empty()); BlobStream blob = client.blob("bb", layer)) {
            store.copy(blob.content(), layer, blob.length());
        }
        assertTrue(store.has(layer));
        assertEquals(Digest.of(Files.readAllBytes(store.blob(layer))), layer);
    }

    @Test
    void aTamperedBlobFailsItsDigestAndLeavesNothing() throws Exception {
        Digest layer = images.layers("tampered").getLast();
        tamperInRegistryStorage(layer);
        ContentStore store = ContentStore.open(directory.resolve("store-" + System.nanoTime()));
        try (var client = client(open, Optional.empty()); BlobStream blob = client.blob("tampered", layer)) {
            var error = assertThrows(ImageException.class, () -> store.copy(blob.content(), layer, blob.length()));
            assertTrue(error.getMessage().startsWith("blob " + layer + " does not match its content, whose digest is sha256:"),
                    error.getMessage());
        }
        assertFalse(store.has(layer));
        try (Stream<Path> temporary = Files.list(store.temporaryDirectory())) {
            assertEquals(0, temporary.count(), "no partial blob left");
        }
    }

    /** Flips one byte of a blob where the registry's filesystem driver keeps it. */
    static void tamperInRegistryStorage(Digest blob) throws IOException {
        Path data = directory.resolve("storage/docker/registry/v2/blobs").resolve(blob.algorithm())
                .resolve(blob.hex().substring(0, 2)).resolve(blob.hex()).resolve("data");
        try (var file = new RandomAccessFile(data.toFile(), "rw")) {
            long middle = file.length() / 2;
            file.seek(middle);
            int original = file.read();
            file.seek(middle);
            file.write(original ^ 0xff);
        }
    }

    private static RegistryClient client(TestRegistry registry, Optional<RegistryCredentials> credentials) {
        return new RegistryClient(RegistryEndpoint.of(registry.address(), Set.of()), credentials);
    }
}
