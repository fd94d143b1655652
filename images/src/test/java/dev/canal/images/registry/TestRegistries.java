package dev.canal.images.registry;

import dev.canal.images.Digest;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

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
 */
final class TestRegistries implements AutoCloseable {

    /** bcrypt (cost 4; the registry accepts only bcrypt) of {@link TestTokenServer#PASSWORD} for {@link TestTokenServer#USER}. */
    private static final String HTPASSWD = "canal:$2b$04$Fg/Euo3ae9CoRmt72ishIOAHKURBef/ByAgctazUFiAj86ZTjIOGe";

    static final RegistryCredentials CREDENTIALS = new RegistryCredentials(TestTokenServer.USER, TestTokenServer.PASSWORD);

    final TestImages images;
    final TestRegistry open;
    final TestTokenServer tokens;
    final TestRegistry tokenAuth;
    final TestRegistry basicAuth;
    private final Path storage;

    private TestRegistries(Path directory) throws IOException, InterruptedException {
        storage = Files.createDirectory(directory.resolve("storage"));
        open = TestRegistry.open(directory, storage);
        tokens = TestTokenServer.start(directory);
        tokenAuth = TestRegistry.withTokens(directory, storage, tokens);
        basicAuth = TestRegistry.withHtpasswd(directory, storage, HTPASSWD);
        images = new TestImages(Files.createDirectory(directory.resolve("images")));
    }

    /** Starts the registries and pushes the images. */
    static TestRegistries start(Path directory) throws IOException, InterruptedException {
        var registries = new TestRegistries(directory);
        try {
            registries.pushImages();
            return registries;
        } catch (IOException | InterruptedException | RuntimeException e) {
            registries.close();
            throw e;
        }
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

    /** Flips one byte in the middle of a blob where the registry's filesystem driver keeps it. */
    void tamper(Digest blob) throws IOException {
        Path data = storage.resolve("docker/registry/v2/blobs").resolve(blob.algorithm())
                .resolve(blob.hex().substring(0, 2)).resolve(blob.hex()).resolve("data");
        try (var file = new RandomAccessFile(data.toFile(), "rw")) {
            long middle = file.length() / 2;
            file.seek(middle);
            int original = file.read();
            file.seek(middle);
            file.write(original ^ 0xff);
        }
    }

    /** A client for {@code registry}. */
    static RegistryClient client(TestRegistry registry, Optional<RegistryCredentials> credentials) {
        return new RegistryClient(RegistryEndpoint.of(registry.address(), Set.of()), credentials);
    }

    @Override
    public void close() throws InterruptedException {
        for (TestRegistry registry : new TestRegistry[] {open, tokenAuth, basicAuth}) {
            if (registry != null) {
                registry.close();
            }
        }
        if (tokens != null) {
            tokens.close();
        }
    }
}
