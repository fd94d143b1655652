package dev.canal.images.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.images.Digest;
import dev.canal.images.Image;
import dev.canal.images.ImageException;
import dev.canal.images.ImageLibrary;
import dev.canal.images.ImageReference;
import dev.canal.images.MediaTypes;
import dev.canal.images.archive.ImageArchives;
import dev.canal.images.manifest.Descriptor;
import dev.canal.images.manifest.ImageConfig;
import dev.canal.images.manifest.ImageIndex;
import dev.canal.images.manifest.ImageManifest;
import dev.canal.images.manifest.ManifestJson;
import dev.canal.images.manifest.Platform;
import dev.canal.images.testing.TarBuilder;
import dev.canal.images.testing.TestImages;
import dev.canal.images.testing.TestRegistry;
import dev.canal.images.testing.TestTokenServer;
import dev.canal.runtime.testing.RequiresRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes images imported or stored at test time to Debian's docker-registry on 127.0.0.1 and
 * pulls them back into a fresh store: the digests match, a second repository mounts what the
 * first has, a large blob goes in chunks, an index goes with its manifests, Docker schema2 stays
 * schema2, and the registries that want credentials get them (htpasswd Basic, Bearer tokens).
 * The registries' access logs show which requests were made.
 */
@RequiresRoot
class ImagePusherTest {

    private static final String USER = "pusher";
    private static final String PASSWORD = "s3cret-push";

    @TempDir
    static Path directory;

    private static TestRegistry open;
    private static TestRegistry basicAuth;
    private static TestTokenServer tokens;
    private static TestRegistry tokenAuth;

    @TempDir
    Path work;

    @BeforeAll
    static void startRegistries() throws Exception {
        open = TestRegistry.open(directory, Files.createDirectory(directory.resolve("open")));
        basicAuth =
                TestRegistry.withHtpasswd(directory, Files.createDirectory(directory.resolve("basic")), USER, PASSWORD);
        tokens = TestTokenServer.start(directory);
        tokenAuth = TestRegistry.withTokens(directory, Files.createDirectory(directory.resolve("token")), tokens);
    }

    @AfterAll
    static void stopRegistries() throws Exception {
        for (AutoCloseable registry : new AutoCloseable[] {open, basicAuth, tokenAuth, tokens}) {
            if (registry != null) {
                registry.close();
            }
        }
    }

    /** What a push reported, per kind of event. */
    static final class Recorded implements PushProgress {
        final List<Digest> preparing = new ArrayList<>();
        final List<Digest> alreadyExists = new ArrayList<>();
        final List<String> mounted = new ArrayList<>();
        final List<Digest> pushed = new ArrayList<>();

        @Override
        public synchronized void preparing(Digest layer) {
            preparing.add(layer);
        }

        @Override
        public synchronized void alreadyExists(Digest layer) {
            alreadyExists.add(layer);
        }

        @Override
        public synchronized void mounted(Digest layer, String fromRepository) {
            mounted.add(layer.shortHex() + " from " + fromRepository);
        }

        @Override
        public synchronized void pushed(Digest layer) {
            pushed.add(layer);
        }
    }

    @Test
    void anImportedImagePulledBackHasTheSameDigests() throws Exception {
        ImageLibrary library = newLibrary("store");
        Image imported = importImage(library, "imported", 200_000);
        ImageReference name = reference(open, "roundtrip:1.0");
        library.tag("imported", name);

        var progress = new Recorded();
        PushResult result = new ImagePusher(library, PushOptions.defaults()).push(name, progress);

        // The imported layer is a plain tar; it goes gzip-compressed, in a new manifest.
        assertEquals(List.of(MediaTypes.OCI_LAYER), layerTypes(imported));
        Image pushed = library.resolve(name.toString());
        assertEquals(result.digest(), pushed.manifestDigest());
        assertNotEquals(imported.manifestDigest(), result.digest());
        assertEquals(List.of(MediaTypes.OCI_LAYER_GZIP), layerTypes(pushed));
        assertEquals(imported.configDigest(), pushed.configDigest());
        assertEquals(library.content().size(result.digest()), result.size());
        assertEquals(1, result.sentLayers());
        List<Digest> layers = layerDigests(pushed);
        assertEquals(layers, progress.preparing);
        assertEquals(layers, progress.pushed);
        try (var blob = library.content().openBlob(layers.getFirst())) {
            assertArrayEquals(new byte[] {0x1f, (byte) 0x8b}, blob.readNBytes(2), "gzip's magic number");
        }

        Image pulled = new ImagePuller(newLibrary("fresh"), PullOptions.defaults())
                .pull(name, PullProgress.NONE)
                .image();
        assertEquals(result.digest(), pulled.manifestDigest());
        assertEquals(imported.configDigest(), pulled.configDigest());
        assertEquals(layers, layerDigests(pulled));
        assertEquals(imported.diffIds(), pulled.diffIds());

        var again = new Recorded();
        assertEquals(
                0,
                new ImagePusher(library, PushOptions.defaults())
                        .push(name, again)
                        .sentLayers());
        assertEquals(layers, again.alreadyExists);
        assertEquals(List.of(), again.pushed);
    }

    @Test
    void aSecondRepositoryMountsTheBlobsTheFirstHas() throws Exception {
        ImageLibrary library = newLibrary("store");
        Image imported = importImage(library, "imported", 50_000);
        ImageReference first = reference(open, "mount/first:1.0");
        ImageReference second = reference(open, "mount/second:1.0");
        library.tag("imported", first);
        new ImagePusher(library, PushOptions.defaults()).push(first, PushProgress.NONE);
        library.tag("imported", second);

        var progress = new Recorded();
        PushResult result = new ImagePusher(library, PushOptions.defaults()).push(second, progress);

        // Compressed again for the second name, to the same bytes: the blob the first push sent.
        Image firstPushed = library.resolve(first.toString());
        assertEquals(firstPushed.manifestDigest(), result.digest());
        Digest layer = layerDigests(firstPushed).getFirst();
        assertEquals(List.of(layer.shortHex() + " from mount/first"), progress.mounted);
        assertEquals(0, result.sentLayers());
        String log = open.log();
        for (Digest blob : List.of(layer, imported.configDigest())) {
            assertTrue(
                    Pattern.compile("\"POST /v2/mount/second/blobs/uploads/\\?mount=" + blob.algorithm() + "%3A"
                                    + blob.hex() + "&from=mount%2Ffirst HTTP/1.1\" 201 ")
                            .matcher(log)
                            .find(),
                    log);
        }
        assertTrue(!log.contains("PUT /v2/mount/second/blobs/uploads/"), log);
        assertEquals(
                result.digest(),
                new ImagePuller(newLibrary("fresh"), PullOptions.defaults())
                        .pull(second, PullProgress.NONE)
                        .digest());
    }

    @Test
    void aBlobLargerThanTheChunkSizeGoesInPatchRequests() throws Exception {
        ImageLibrary library = newLibrary("store");
        Image imported = importImage(library, "imported", 300_000);
        ImageReference name = reference(open, "chunked:1.0");
        library.tag("imported", name);
        long chunk = 64 * 1024;

        PushResult result =
                new ImagePusher(library, PushOptions.defaults().withChunkSize(chunk)).push(name, PushProgress.NONE);

        long size = library.content()
                .size(layerDigests(library.resolve(name.toString())).getFirst());
        long patches = open.log()
                .lines()
                .filter(line -> line.contains("\"PATCH /v2/chunked/blobs/uploads/") && line.contains("\" 202 "))
                .count();
        assertEquals((size + chunk - 1) / chunk, patches, open.log());
        Image pulled = new ImagePuller(newLibrary("fresh"), PullOptions.defaults())
                .pull(name, PullProgress.NONE)
                .image();
        assertEquals(result.digest(), pulled.manifestDigest());
        assertEquals(imported.diffIds(), pulled.diffIds());
    }

    @Test
    void anIndexGoesWithTheManifestsItNamesAndPullsBackAsTheSameIndex() throws Exception {
        ImageLibrary library = newLibrary("store");
        byte[] layer = new TarBuilder().file("etc/os", "multi\n").build();
        Digest amd64 = TestImages.store(library.content(), TestImages.Compression.GZIP, null, layer);
        Digest arm64 = storeForArchitecture(library, amd64, "arm64");
        byte[] index = ManifestJson.write(new ImageIndex(
                2,
                MediaTypes.OCI_INDEX,
                List.of(entry(library, amd64, "amd64"), entry(library, arm64, "arm64")),
                null));
        Digest indexDigest = library.content().put(index);
        ImageReference name = reference(open, "multi:1.0");
        library.register(name, indexDigest);

        PushResult result = new ImagePusher(library, PushOptions.defaults()).push(name, PushProgress.NONE);

        assertEquals(indexDigest, result.digest());
        try (var client = new RegistryClient(RegistryEndpoint.of(open.address(), Set.of()), Optional.empty())) {
            VerifiedManifest stored = client.manifest("multi", "1.0");
            assertEquals(MediaTypes.OCI_INDEX, stored.mediaType());
            assertEquals(arm64, client.manifest("multi", arm64.toString()).digest());
        }
        PullResult pulled = new ImagePuller(newLibrary("fresh"), PullOptions.defaults()).pull(name, PullProgress.NONE);
        assertEquals(indexDigest, pulled.digest());
        assertEquals(amd64, pulled.image().manifestDigest());
    }

    @Test
    void anIndexWithPlatformsTheStoreLacksPushesThisPlatformsManifest() throws Exception {
        ImageLibrary library = newLibrary("store");
        Digest amd64 = TestImages.store(
                library.content(),
                TestImages.Compression.GZIP,
                null,
                new TarBuilder().file("etc/os", "partial\n").build());
        Descriptor missing = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.of(new byte[] {1}), 1);
        byte[] index = ManifestJson.write(new ImageIndex(
                2,
                MediaTypes.OCI_INDEX,
                List.of(
                        entry(library, amd64, "amd64"),
                        new Descriptor(
                                missing.mediaType(), missing.digest(), 1, null, null, Platform.of("linux", "arm64"))),
                null));
        ImageReference name = reference(open, "partial:1.0");
        library.register(name, library.content().put(index));

        PushResult result = new ImagePusher(library, PushOptions.defaults()).push(name, PushProgress.NONE);

        assertEquals(amd64, result.digest());
    }

    @Test
    void aDockerSchema2ImageStaysDockerSchema2() throws Exception {
        ImageLibrary library = newLibrary("store");
        Digest ociManifest = TestImages.store(
                library.content(),
                TestImages.Compression.GZIP,
                null,
                new TarBuilder().file("etc/os", "docker\n").build());
        ImageManifest oci = ImageManifest.parse(library.content().read(ociManifest));
        var docker = new ImageManifest(
                2,
                MediaTypes.DOCKER_MANIFEST,
                Descriptor.of(
                        MediaTypes.DOCKER_CONFIG,
                        oci.config().digest(),
                        oci.config().size()),
                oci.layers().stream()
                        .map(layer -> Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, layer.digest(), layer.size()))
                        .toList(),
                null);
        Digest dockerManifest = library.content().put(ManifestJson.write(docker));
        ImageReference name = reference(open, "schema2:1.0");
        library.register(name, dockerManifest);

        new ImagePusher(library, PushOptions.defaults()).push(name, PushProgress.NONE);

        try (var client = new RegistryClient(RegistryEndpoint.of(open.address(), Set.of()), Optional.empty())) {
            VerifiedManifest stored = client.manifest("schema2", "1.0");
            assertEquals(MediaTypes.DOCKER_MANIFEST, stored.mediaType());
            assertEquals(dockerManifest, stored.digest());
        }
    }

    @Test
    void plainDockerSchema2LayersGoAsDockersGzipLayers() throws Exception {
        ImageLibrary library = newLibrary("store");
        byte[] tar = new TarBuilder().file("etc/os", "plain docker\n").build();
        Digest ociManifest = TestImages.store(library.content(), TestImages.Compression.NONE, null, tar);
        ImageManifest oci = ImageManifest.parse(library.content().read(ociManifest));
        var docker = new ImageManifest(
                2,
                MediaTypes.DOCKER_MANIFEST,
                Descriptor.of(
                        MediaTypes.DOCKER_CONFIG,
                        oci.config().digest(),
                        oci.config().size()),
                List.of(Descriptor.of(MediaTypes.DOCKER_LAYER, Digest.of(tar), tar.length)),
                null);
        ImageReference name = reference(open, "schema2-plain:1.0");
        library.register(name, library.content().put(ManifestJson.write(docker)));

        PushResult result = new ImagePusher(library, PushOptions.defaults()).push(name, PushProgress.NONE);

        try (var client = new RegistryClient(RegistryEndpoint.of(open.address(), Set.of()), Optional.empty())) {
            VerifiedManifest stored = client.manifest("schema2-plain", "1.0");
            assertEquals(MediaTypes.DOCKER_MANIFEST, stored.mediaType());
            assertEquals(result.digest(), stored.digest());
        }
        Image pulled = new ImagePuller(newLibrary("fresh"), PullOptions.defaults())
                .pull(name, PullProgress.NONE)
                .image();
        assertEquals(List.of(MediaTypes.DOCKER_LAYER_GZIP), layerTypes(pulled));
        assertEquals(List.of(Digest.of(tar)), pulled.diffIds());
    }

    @Test
    void anIndexOfPlainLayersGoesAsANewIndexNamingTheCompressedManifests() throws Exception {
        ImageLibrary library = newLibrary("store");
        byte[] layer = new TarBuilder().file("etc/os", "multi plain\n").build();
        Digest amd64 = TestImages.store(library.content(), TestImages.Compression.NONE, null, layer);
        Digest arm64 = storeForArchitecture(library, amd64, "arm64");
        Digest indexDigest = library.content()
                .put(ManifestJson.write(new ImageIndex(
                        2,
                        MediaTypes.OCI_INDEX,
                        List.of(entry(library, amd64, "amd64"), entry(library, arm64, "arm64")),
                        null)));
        ImageReference name = reference(open, "multi-plain:1.0");
        library.register(name, indexDigest);

        PushResult result = new ImagePusher(library, PushOptions.defaults()).push(name, PushProgress.NONE);

        assertNotEquals(indexDigest, result.digest());
        ImageIndex pushed = ImageIndex.parse(library.content().read(result.digest()));
        assertEquals(
                List.of("amd64", "arm64"),
                pushed.manifests().stream()
                        .map(entry -> entry.platform().architecture())
                        .toList());
        for (Descriptor entry : pushed.manifests()) {
            ImageManifest manifest = ImageManifest.parse(library.content().read(entry.digest()));
            assertEquals(library.content().size(entry.digest()), entry.size());
            assertEquals(
                    List.of(MediaTypes.OCI_LAYER_GZIP),
                    manifest.layers().stream().map(Descriptor::mediaType).toList());
        }
        PullResult pulled = new ImagePuller(newLibrary("fresh"), PullOptions.defaults()).pull(name, PullProgress.NONE);
        assertEquals(result.digest(), pulled.digest());
        assertEquals(List.of(Digest.of(layer)), pulled.image().diffIds());
    }

    @Test
    void aFailedPushOfPlainLayersLeavesNoCompressedCopyBehind() throws Exception {
        ImageLibrary library = newLibrary("store");
        Image imported = importImage(library, "imported", 10_000);
        ImageReference name = reference(basicAuth, "left:1.0");
        library.tag("imported", name);
        Set<Digest> before = Set.copyOf(library.content().list());

        assertThrows(
                RegistryException.class,
                () -> new ImagePusher(library, PushOptions.defaults()).push(name, PushProgress.NONE));

        assertEquals(before, Set.copyOf(library.content().list()));
        assertEquals(imported.manifestDigest(), library.resolve(name.toString()).manifestDigest());
    }

    @Test
    void htpasswdBasicAuthNeedsTheCredentials() throws Exception {
        ImageLibrary library = newLibrary("store");
        Image imported = importImage(library, "imported", 10_000);
        ImageReference name = reference(basicAuth, "basic:1.0");
        library.tag("imported", name);

        var anonymous = assertThrows(
                RegistryException.class,
                () -> new ImagePusher(library, PushOptions.defaults()).push(name, PushProgress.NONE));
        assertEquals(
                "unauthorized: " + basicAuth.address() + " asks for a user name and password and none was given",
                anonymous.getMessage());
        var wrong = assertThrows(
                RegistryException.class,
                () -> new ImagePusher(library, withCredentials(USER, "wrong")).push(name, PushProgress.NONE));
        assertTrue(wrong.getMessage().startsWith("unauthorized: "), wrong.getMessage());

        PushResult result = new ImagePusher(library, withCredentials(USER, PASSWORD)).push(name, PushProgress.NONE);
        assertEquals(library.resolve(name.toString()).manifestDigest(), result.digest());
        Image pulled = new ImagePuller(
                        newLibrary("fresh"),
                        PullOptions.defaults()
                                .withCredentials(CredentialLookup.always(new RegistryCredentials(USER, PASSWORD))))
                .pull(name, PullProgress.NONE)
                .image();
        assertEquals(result.digest(), pulled.manifestDigest());
        assertEquals(imported.diffIds(), pulled.diffIds());
    }

    @Test
    void bearerTokensAreAskedForWithThePushScope() throws Exception {
        ImageLibrary library = newLibrary("store");
        Image imported = importImage(library, "imported", 10_000);
        ImageReference name = reference(tokenAuth, "tokens/pushed:1.0");
        library.tag("imported", name);

        var refused = assertThrows(
                RegistryException.class,
                () -> new ImagePusher(library, PushOptions.defaults()).push(name, PushProgress.NONE));
        assertTrue(refused.getMessage().startsWith("unauthorized: "), refused.getMessage());

        PushResult result = new ImagePusher(library, withCredentials(TestTokenServer.USER, TestTokenServer.PASSWORD))
                .push(name, PushProgress.NONE);
        assertEquals(library.resolve(name.toString()).manifestDigest(), result.digest());
        assertEquals(imported.configDigest(), library.resolve(name.toString()).configDigest());
        assertTrue(
                tokens.requests().stream()
                        .anyMatch(request -> request.withCredentials()
                                && request.query().contains("scope=repository%3Atokens%2Fpushed%3Apull%2Cpush")),
                tokens.requests().toString());
    }

    @Test
    void aLoginIsCheckedWithTheRegistryWhetherItWantsBasicCredentialsOrTokens() {
        RegistryLogin.verify(basicAuth.address(), new RegistryCredentials(USER, PASSWORD), Set.of());
        assertEquals(
                "unauthorized: " + basicAuth.address() + " refused the user name or password",
                assertThrows(
                                RegistryException.class,
                                () -> RegistryLogin.verify(
                                        basicAuth.address(), new RegistryCredentials(USER, "wrong"), Set.of()))
                        .getMessage());

        RegistryLogin.verify(
                tokenAuth.address(), new RegistryCredentials(TestTokenServer.USER, TestTokenServer.PASSWORD), Set.of());
        var refused = assertThrows(
                RegistryException.class,
                () -> RegistryLogin.verify(
                        tokenAuth.address(), new RegistryCredentials(TestTokenServer.USER, "wrong"), Set.of()));
        assertTrue(refused.getMessage().startsWith("unauthorized: the token server "), refused.getMessage());
    }

    @Test
    void anUnknownImageOrADigestNameIsRefusedBeforeAnyRequest() throws Exception {
        ImageLibrary library = newLibrary("store");
        var pusher = new ImagePusher(library, PushOptions.defaults());
        var unknown = assertThrows(
                ImageException.class, () -> pusher.push(ImageReference.parse("localhost:1/none:1"), PushProgress.NONE));
        assertEquals("no such image: localhost:1/none:1", unknown.getMessage());
        var digest = assertThrows(
                ImageException.class,
                () -> pusher.push(
                        ImageReference.parse("localhost:1/none@" + Digest.of(new byte[0])), PushProgress.NONE));
        assertTrue(digest.getMessage().contains("push a name with a tag, not a digest"), digest.getMessage());
    }

    @Test
    void anUnreachableRegistryIsOneLine() throws Exception {
        ImageLibrary library = newLibrary("store");
        importImage(library, "imported", 1_000);
        library.tag("imported", ImageReference.parse("localhost:1/away:1"));
        var error = assertThrows(
                RegistryException.class,
                () -> new ImagePusher(library, PushOptions.defaults())
                        .push(ImageReference.parse("localhost:1/away:1"), PushProgress.NONE));
        assertEquals("cannot connect to localhost:1: Connection refused", error.getMessage());
    }

    private static PushOptions withCredentials(String user, String password) {
        return PushOptions.defaults().withCredentials(CredentialLookup.always(new RegistryCredentials(user, password)));
    }

    /** A root filesystem tar with {@code bytes} of random content, imported as {@code name}. */
    private Image importImage(ImageLibrary library, String name, int bytes) throws IOException {
        byte[] content = new byte[bytes];
        new Random(bytes).nextBytes(content);
        byte[] tar = new TarBuilder()
                .directory("etc", 0755)
                .file("etc/hostname", "pushed\n")
                .file("data", 0644, content)
                .build();
        Path tarball = Files.write(work.resolve(name + ".tar"), tar);
        return ImageArchives.importRootfs(library, tarball, ImageReference.parse(name));
    }

    /** The same layers with a config for {@code architecture}: another platform's manifest. */
    private static Digest storeForArchitecture(ImageLibrary library, Digest manifest, String architecture) {
        ImageManifest amd64 = ImageManifest.parse(library.content().read(manifest));
        List<Digest> diffIds = ImageConfig.parse(
                        library.content().read(amd64.config().digest()))
                .rootfs()
                .diffIds();
        return TestImages.storeManifest(
                library.content(), TestImages.config(architecture, null, diffIds), amd64.layers());
    }

    private static Descriptor entry(ImageLibrary library, Digest manifest, String architecture) {
        return new Descriptor(
                MediaTypes.OCI_MANIFEST,
                manifest,
                library.content().size(manifest),
                null,
                Map.of(),
                Platform.of("linux", architecture));
    }

    private static List<String> layerTypes(Image image) {
        return image.manifest().layers().stream().map(Descriptor::mediaType).toList();
    }

    private static List<Digest> layerDigests(Image image) {
        return image.manifest().layers().stream().map(Descriptor::digest).toList();
    }

    private ImageLibrary newLibrary(String name) {
        return ImageLibrary.open(work.resolve(name));
    }

    private static ImageReference reference(TestRegistry registry, String repositoryAndTag) {
        return ImageReference.parse(registry.address() + "/" + repositoryAndTag);
    }
}
