package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.canal.images.Digest;
import dev.canal.images.ImageLibrary;
import dev.canal.images.testing.TestRegistries;
import dev.canal.images.testing.TestTokenServer;
import dev.canal.runtime.testing.RequiresRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code canal pull} as a user runs it, against Debian's docker-registry on loopback. */
@RequiresRoot
class PullCommandTest {

    @RegisterExtension
    static final TestRegistries registries = new TestRegistries();

    @TempDir
    Path work;

    @Test
    void pullPrintsDockersStatusLinesAndRegistersTheImage() throws Exception {
        String name = registries.open().address() + "/bb:1.0";
        var result = canal(Map.of(), "pull", "--root", store(), name);

        Digest layer = registries.images().layers("base").getFirst();
        Digest digest = registries.images().digestOf("base");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stderr());
        assertEquals(
                String.join(
                        "\n",
                        "1.0: Pulling from bb",
                        layer.shortHex() + ": Pulling fs layer",
                        layer.shortHex() + ": Download complete",
                        layer.shortHex() + ": Pull complete",
                        "Digest: " + digest,
                        "Status: Downloaded newer image for " + name,
                        name,
                        ""),
                result.stdout());
        assertEquals(digest, ImageLibrary.open(Path.of(store())).resolve(name).manifestDigest());

        var again = canal(Map.of(), "pull", "--root", store(), name);
        assertEquals(
                String.join(
                        "\n",
                        "1.0: Pulling from bb",
                        layer.shortHex() + ": Already exists",
                        "Digest: " + digest,
                        "Status: Image is up to date for " + name,
                        name,
                        ""),
                again.stdout());
    }

    @Test
    void quietPrintsOnlyTheName() throws Exception {
        String name = registries.open().address() + "/bb:multi";
        var result = canal(Map.of(), "pull", "--quiet", "--root", store(), name);
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(name + "\n", result.stdout());
    }

    @Test
    void anUnreachableRegistryIsOneLineAndLeavesNothing() throws Exception {
        var result = canal(Map.of(), "pull", "--root", store(), "localhost:1/bb");
        assertEquals(1, result.exitCode());
        assertEquals("", result.stdout());
        assertEquals(
                "canal: pull localhost:1/bb: cannot connect to localhost:1: Connection refused\n", result.stderr());
        assertEquals(List.of(), filesUnder(Path.of(store()).resolve("blobs")));
    }

    @Test
    void anUnknownTagIsManifestUnknown() throws Exception {
        String name = registries.open().address() + "/bb:no-such-tag";
        var result = canal(Map.of(), "pull", "--root", store(), name);
        assertEquals(1, result.exitCode());
        assertEquals("canal: pull " + name + ": manifest unknown\n", result.stderr());
    }

    @Test
    void credentialsComeFromTheEnvironmentOrDockersConfig() throws Exception {
        String name = registries.basicAuth().address() + "/bb:1.0";
        var refused = canal(Map.of(), "pull", "--quiet", "--root", store(), name);
        assertEquals(1, refused.exitCode());
        assertEquals(
                "canal: pull " + name + ": unauthorized: "
                        + registries.basicAuth().address() + " asks for a user name and password and none was given\n",
                refused.stderr());

        String userColonPassword = TestTokenServer.USER + ":" + TestTokenServer.PASSWORD;
        var fromEnvironment =
                canal(Map.of("CANAL_REGISTRY_CREDS", userColonPassword), "pull", "--quiet", "--root", store(), name);
        assertEquals(0, fromEnvironment.exitCode(), fromEnvironment.stderr());

        Path dockerConfig = Files.createDirectories(work.resolve("docker"));
        Files.writeString(
                dockerConfig.resolve("config.json"),
                "{\"auths\": {\"" + registries.basicAuth().address()
                        + "\": {\"auth\": \""
                        + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8))
                        + "\"}}}");
        var fromConfig =
                canal(Map.of("DOCKER_CONFIG", dockerConfig.toString()), "pull", "--quiet", "--root", store(), name);
        assertEquals(0, fromConfig.exitCode(), fromConfig.stderr());
    }

    @Test
    void aPlainHttpRegistryElsewhereNeedsInsecureRegistry() throws Exception {
        String address = registries.otherLoopback().address();
        var refused = canal(Map.of(), "pull", "--quiet", "--root", store(), address + "/bb:1.0");
        assertEquals(1, refused.exitCode());
        assertEquals(
                "canal: pull " + address + "/bb:1.0: TLS with " + address + " failed: ",
                refused.stderr()
                        .substring(
                                0, ("canal: pull " + address + "/bb:1.0: TLS with " + address + " failed: ").length()));

        var allowed = canal(
                Map.of(), "pull", "--quiet", "--insecure-registry", address, "--root", store(), address + "/bb:1.0");
        assertEquals(0, allowed.exitCode(), allowed.stderr());
    }

    private static CanalHome.Result canal(Map<String, String> environment, String... args) throws Exception {
        return CanalHome.run("canal", environment, args);
    }

    private String store() {
        return work.resolve("store").toString();
    }

    private static List<Path> filesUnder(Path directory) throws Exception {
        if (!Files.exists(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
