package dev.canal.images.testing;

import dev.canal.images.Digest;
import dev.canal.images.registry.RegistryCredentials;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The registries the registry tests pull from, all serving one storage directory: an open one
 * (images are pushed there), one that wants Bearer tokens from a {@link TestTokenServer} and one
 * that wants htpasswd Basic credentials. The images, built with umoci and pushed with skopeo:
 * <ul>
 *   <li>{@code bb:1.0}, {@code private/bb:1.0}: busybox, OCI; {@code bb-docker:1.0}: the same as Docker schema2;</li>
 *   <li>{@code app:1.0}: busybox plus a layer with one file, so it shares its base layer with {@code bb};</li>
 *   <li>{@code bb:multi}: an index of busybox for linux/amd64 and linux/arm64; {@code bb:armonly}: arm64 alone;</li>
 *   <li>{@code tampered:1.0}: busybox plus a layer whose bytes {@link #tamper} changes in the registry's storage.</li>
 * </ul>
 * A JUnit extension: a test class declares {@code @RegisterExtension static final TestRegistries
 * registries = new TestRegistries();}; they start before its first test, in a temporary directory,
 * and stop (by pid) and are deleted after its last.
 */
public final class TestRegistries implements BeforeAllCallback, AfterAllCallback {

    /** bcrypt (cost 4; the registry accepts only bcrypt) of {@link TestTokenServer#PASSWORD} for {@link TestTokenServer#USER}. */
    private static final String HTPASSWD = "canal:$2b$04$Fg/Euo3ae9CoRmt72ishIOAHKURBef/ByAgctazUFiAj86ZTjIOGe";

    public static final RegistryCredentials CREDENTIALS =
            new RegistryCredentials(TestTokenServer.USER, TestTokenServer.PASSWORD);

    private UmociImages images;
    private TestRegistry open;
    private TestTokenServer tokens;
    private TestRegistry tokenAuth;
    private TestRegistry basicAuth;
    /** Open, on 127.0.0.2: plain http only when named insecure. */
    private TestRegistry otherLoopback;

    private Path directory;
    private Path storage;

    /** Starts the registries and pushes the images; on failure stops what it started. */
    @Override
    public void beforeAll(ExtensionContext context) throws IOException, InterruptedException {
        directory = Files.createTempDirectory("canal-registries-");
        storage = Files.createDirectory(directory.resolve("storage"));
        try {
            startRegistries();
            pushImages();
        } catch (IOException | InterruptedException | RuntimeException e) {
            afterAll(context);
            throw e;
        }
    }

    private void startRegistries() throws IOException, InterruptedException {
        open = TestRegistry.open(directory, storage);
        tokens = TestTokenServer.start(directory);
        tokenAuth = TestRegistry.withTokens(directory, storage, tokens);
        basicAuth = TestRegistry.withHtpasswd(directory, storage, HTPASSWD);
        otherLoopback = TestRegistry.openOnOtherLoopbackAddress(directory, storage);
        images = new UmociImages(Files.createDirectory(directory.resolve("images")));
    }

    private void pushImages() throws IOException, InterruptedException {
        images.busybox("base");
        images.withFile("base", "app", "etc/app.conf", "setting=1\n");
        images.withFile("base", "tampered", "etc/unique", "only in the image whose layer is tampered with\n");
        images.forArchitecture("base", "arm", "arm64");
        images.index("multi", "base", "arm");
        images.index("armonly", "arm");
        String registry = open.address();
        images.push("base", registry + "/bb:1.0", false);
        images.push("base", registry + "/bb-docker:1.0", true);
        images.push("base", registry + "/private/bb:1.0", false);
        images.push("app", registry + "/app:1.0", false);
        images.push("multi", registry + "/bb:multi", false);
        images.push("armonly", registry + "/bb:armonly", false);
        images.push("tampered", registry + "/tampered:1.0", false);
    }

    public UmociImages images() {
        return images;
    }

    public TestRegistry open() {
        return open;
    }

    public TestTokenServer tokens() {
        return tokens;
    }

    public TestRegistry tokenAuth() {
        return tokenAuth;
    }

    public TestRegistry basicAuth() {
        return basicAuth;
    }

    public TestRegistry otherLoopback() {
        return otherLoopback;
    }

    /** Flips one byte in the middle of a blob where the registry's filesystem driver keeps it. */
    public void tamper(Digest blob) throws IOException {
        Path data = storage.resolve("docker/registry/v2/blobs")
                .resolve(blob.algorithm())
                .resolve(blob.hex().substring(0, 2))
                .resolve(blob.hex())
                .resolve("data");
        try (var file = new RandomAccessFile(data.toFile(), "rw")) {
            long middle = file.length() / 2;
            file.seek(middle);
            int original = file.read();
            file.seek(middle);
            file.write(original ^ 0xff);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException, InterruptedException {
        for (TestRegistry registry : new TestRegistry[] {open, tokenAuth, basicAuth, otherLoopback}) {
            if (registry != null) {
                registry.close();
            }
        }
        if (tokens != null) {
            tokens.close();
        }
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
