package dev.canal.images.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.images.Digest;
import dev.canal.images.Image;
import dev.canal.images.ImageException;
import dev.canal.images.ImageLibrary;
import dev.canal.images.ImageReference;
import dev.canal.images.testing.TestRegistries;
import dev.canal.runtime.testing.RequiresRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls from Debian's docker-registry into a fresh store per test: the image is registered with
 * the registry's layers and config, shared layers are fetched once, a multi-arch index gives
 * linux/amd64, and every kind of failure leaves no partial blob and no image.
 */
@RequiresRoot
class ImagePullerTest {

    @TempDir
    static Path directory;

    @RegisterExtension
    static final TestRegistries registries = new TestRegistries();

    /** What a pull reported, per kind of event. */
    static final class Recorded implements PullProgress {
        final List<Digest> alreadyExists = new ArrayList<>();
        final List<Digest> waiting = new ArrayList<>();
        final List<Digest> downloaded = new ArrayList<>();
        final List<Digest> extracted = new ArrayList<>();

        @Override
        public synchronized void alreadyExists(Digest layer) {
            alreadyExists.add(layer);
        }

        @Override
        public synchronized void waiting(Digest layer, long size) {
            waiting.add(layer);
        }

        @Override
        public synchronized void downloaded(Digest blob) {
            downloaded.add(blob);
        }

        @Override
        public synchronized void extracted(Digest layer) {
            extracted.add(layer);
        }
    }

    @Test
    void anOciImageIsRegisteredWithTheRegistrysLayersAndConfig() throws Exception {
        ImageLibrary library = newLibrary();
        var progress = new Recorded();
        PullResult result = puller(library).pull(reference("bb:1.0"), progress);

        Image image = result.image();
        assertEquals(reference("bb:1.0"), image.name());
        assertEquals(registries.images().digestOf("base"), image.manifestDigest());
        assertEquals(registries.images().digestOf("base"), result.digest());
        assertEquals(
                Digest.parse(registries
                        .images()
                        .manifest("base")
                        .get("config")
                        .get("digest")
                        .asString()),
                image.configDigest());
        assertEquals(
                registries.images().layers("base"),
                image.manifest().layers().stream().map(l -> l.digest()).toList());
        assertEquals(List.of("/bin/sh"), image.cmd());
        assertTrue(Files.isRegularFile(image.layerDirectories().getFirst().resolve("bin/busybox")));
        assertTrue(result.downloadedAnything());
        assertEquals(registries.images().layers("base"), progress.waiting);
        assertEquals(registries.images().layers("base"), progress.extracted);
        assertEquals(image, library.resolve(registries.open().address() + "/bb:1.0"));
    }

    @Test
    void aNamePinnedToADigestPullsThatManifest() throws Exception {
        ImageLibrary library = newLibrary();
        Digest digest = registries.images().digestOf("base");
        var pinned = ImageReference.parse(registries.open().address() + "/bb@" + digest);
        PullResult result = puller(library).pull(pinned, PullProgress.NONE);
        assertEquals(pinned, result.image().name());
        assertEquals(digest, result.image().manifestDigest());
    }

    @Test
    void aDockerSchema2ImageIsRegisteredToo() throws Exception {
        ImageLibrary library = newLibrary();
        Image image = puller(library)
                .pull(reference("bb-docker:1.0"), PullProgress.NONE)
                .image();
        assertEquals(1, image.layerDirectories().size());
        assertTrue(Files.isRegularFile(image.layerDirectories().getFirst().resolve("bin/busybox")));
    }

    @Test
    void twoImagesSharingABaseLayerDownloadItOnce() throws Exception {
        ImageLibrary library = newLibrary();
        Digest base = registries.images().layers("base").getFirst();
        List<Digest> appLayers = registries.images().layers("app");
        assertEquals(base, appLayers.getFirst(), "the fixture's app image is built on busybox");

        puller(library).pull(reference("bb:1.0"), PullProgress.NONE);
        var second = new Recorded();
        Image app = puller(library).pull(reference("app:1.0"), second).image();

        assertEquals(List.of(base), second.alreadyExists);
        assertEquals(List.of(appLayers.getLast()), second.waiting);
        assertFalse(second.downloaded.contains(base), second.downloaded.toString());
        assertEquals(
                library.resolve(registries.open().address() + "/bb:1.0")
                        .layerDirectories()
                        .getFirst(),
                app.layerDirectories().getFirst(),
                "one unpacked base layer for both");
        assertEquals(
                "setting=1\n", Files.readString(app.layerDirectories().getLast().resolve("etc/app.conf")));

        var again = new Recorded();
        PullResult repeat = puller(library).pull(reference("app:1.0"), again);
        assertFalse(repeat.downloadedAnything());
        assertEquals(appLayers, again.alreadyExists);
    }

    @Test
    void aMultiPlatformIndexGivesTheLinuxAmd64Manifest() throws Exception {
        ImageLibrary library = newLibrary();
        PullResult result = puller(library).pull(reference("bb:multi"), PullProgress.NONE);
        assertEquals(registries.images().digestOf("multi"), result.digest());
        assertEquals(registries.images().digestOf("base"), result.image().manifestDigest());
        assertFalse(library.content().has(registries.images().digestOf("arm")), "the arm64 manifest is not fetched");
    }

    @Test
    void anIndexWithoutLinuxAmd64NamesWhatItOffersAndLeavesNothing() throws Exception {
        ImageLibrary library = newLibrary();
        var error = assertThrows(
                ImageException.class, () -> puller(library).pull(reference("bb:armonly"), PullProgress.NONE));
        assertEquals("no manifest for linux/amd64 in the index; it offers linux/arm64", error.getMessage());
        assertNothingStored(library, "bb:armonly");
    }

    @Test
    void aTamperedLayerFailsItsDigestAndLeavesNoPartialBlobAndNoImage() throws Exception {
        Digest unique = registries.images().layers("tampered").getLast();
        registries.tamper(unique);
        ImageLibrary library = newLibrary();
        var error = assertThrows(
                ImageException.class, () -> puller(library).pull(reference("tampered:1.0"), PullProgress.NONE));
        assertTrue(
                error.getMessage()
                        .startsWith("blob " + unique + " does not match its content, whose digest is sha256:"),
                error.getMessage());
        assertNothingStored(library, "tampered:1.0");
    }

    @Test
    void anUnknownTagIsManifestUnknownAndLeavesNothing() throws Exception {
        ImageLibrary library = newLibrary();
        var error = assertThrows(
                RegistryException.class, () -> puller(library).pull(reference("bb:no-such-tag"), PullProgress.NONE));
        assertEquals("manifest unknown", error.getMessage());
        assertNothingStored(library, "bb:no-such-tag");
    }

    @Test
    void anUnreachableRegistryIsAConnectError() throws Exception {
        ImageLibrary library = newLibrary();
        var error = assertThrows(
                RegistryException.class,
                () -> puller(library).pull(ImageReference.parse("localhost:1/bb"), PullProgress.NONE));
        assertEquals("cannot connect to localhost:1: Connection refused", error.getMessage());
        assertEquals(List.of(), library.content().list());
    }

    @Test
    void basicAuthWithoutCredentialsIsUnauthorizedAndWithThemPulls() throws Exception {
        String registry = registries.basicAuth().address();
        assertUnauthorizedThenPulledWithCredentials(
                ImageReference.parse(registry + "/bb:1.0"),
                "unauthorized: " + registry + " asks for a user name and password and none was given");
    }

    @Test
    void aPrivateRepositoryBehindTokenAuthWithoutCredentialsIsUnauthorizedAndWithThemPulls() throws Exception {
        assertUnauthorizedThenPulledWithCredentials(
                ImageReference.parse(registries.tokenAuth().address() + "/private/bb:1.0"),
                "unauthorized: authentication required (no credentials were given)");
    }

    private static void assertUnauthorizedThenPulledWithCredentials(ImageReference name, String refusal)
            throws Exception {
        ImageLibrary library = newLibrary();
        var error = assertThrows(RegistryException.class, () -> puller(library).pull(name, PullProgress.NONE));
        assertEquals(refusal, error.getMessage());
        assertNothingStored(library, name.toString());

        var withCredentials = new ImagePuller(
                library, PullOptions.defaults().withCredentials(CredentialLookup.always(TestRegistries.CREDENTIALS)));
        assertEquals(
                registries.images().digestOf("base"),
                withCredentials.pull(name, PullProgress.NONE).image().manifestDigest());
    }

    private static ImageLibrary newLibrary() throws IOException {
        return ImageLibrary.open(Files.createTempDirectory(directory, "store-"));
    }

    private static ImagePuller puller(ImageLibrary library) {
        return new ImagePuller(library, PullOptions.defaults());
    }

    private static ImageReference reference(String repositoryAndTag) {
        return ImageReference.parse(registries.open().address() + "/" + repositoryAndTag);
    }

    private static void assertNothingStored(ImageLibrary library, String name) throws IOException {
        assertEquals(List.of(), library.content().list(), "no blobs");
        assertNoTemporaryFiles(library);
        assertNoImage(library, name);
    }

    private static void assertNoTemporaryFiles(ImageLibrary library) throws IOException {
        try (Stream<Path> temporary = Files.list(library.content().temporaryDirectory())) {
            assertEquals(List.of(), temporary.toList(), "no partial blobs");
        }
    }

    private static void assertNoImage(ImageLibrary library, String name) {
        assertEquals(List.of(), library.list(), "no image");
        String fullName = name.contains("/") ? name : registries.open().address() + "/" + name;
        assertThrows(ImageException.class, () -> library.resolve(fullName));
    }
}
