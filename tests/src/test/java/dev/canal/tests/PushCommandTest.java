package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.images.Digest;
import dev.canal.images.Image;
import dev.canal.images.ImageLibrary;
import dev.canal.images.MediaTypes;
import dev.canal.images.testing.TestRegistry;
import dev.canal.runtime.testing.RequiresRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code canal tag}, {@code push}, {@code save}, {@code login} and {@code logout} as a user runs
 * them, against Debian's docker-registry on 127.0.0.1 (one open, one with htpasswd Basic auth):
 * what is pushed pulls back into a fresh store with the same digest, a second repository mounts
 * the layer, save and load round trip, a login is kept in config.json (0600) or by a credential
 * helper found on the PATH, and push uses it.
 */
@RequiresRoot
class PushCommandTest {

    private static final String USER = "canal-user";
    private static final String PASSWORD = "pa55-w0rd";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path directory;

    private static TestRegistry open;
    private static TestRegistry basicAuth;
    private static Path busybox;

    @TempDir
    Path work;

    @BeforeAll
    static void startRegistries() throws Exception {
        open = TestRegistry.open(directory, Files.createDirectory(directory.resolve("open")));
        basicAuth =
                TestRegistry.withHtpasswd(directory, Files.createDirectory(directory.resolve("basic")), USER, PASSWORD);
        busybox = BusyboxTar.create(Files.createDirectory(directory.resolve("busybox")));
    }

    @AfterAll
    static void stopRegistries() throws Exception {
        for (TestRegistry registry : new TestRegistry[] {open, basicAuth}) {
            if (registry != null) {
                registry.close();
            }
        }
    }

    @Test
    void aTaggedImagePushedPullsBackWithTheSameDigestAndASecondRepositoryMountsIt() throws Exception {
        importBusybox();
        String name = open.address() + "/bb:1.0";
        assertSucceeds(canal(Map.of(), "tag", "--root", store(), "busybox", name), "");

        var push = canal(Map.of(), "push", "--root", store(), name);

        // The imported plain layer went gzip-compressed; the name now names that manifest.
        Image image = ImageLibrary.open(Path.of(store())).resolve(name);
        assertEquals(
                MediaTypes.OCI_LAYER_GZIP, image.manifest().layers().getFirst().mediaType());
        Digest layer = image.manifest().layers().getFirst().digest();
        long size = Files.size(Path.of(store())
                .resolve("blobs/sha256")
                .resolve(image.manifestDigest().hex()));
        assertSucceeds(
                push,
                String.join(
                        "\n",
                        "The push refers to repository [" + name.replace(":1.0", "") + "]",
                        layer.shortHex() + ": Preparing",
                        layer.shortHex() + ": Pushed",
                        "1.0: digest: " + image.manifestDigest() + " size: " + size,
                        ""));
        String fresh = work.resolve("fresh").toString();
        assertSucceeds(canal(Map.of(), "pull", "--quiet", "--root", fresh, name), name + "\n");
        Image pulled = ImageLibrary.open(Path.of(fresh)).resolve(name);
        assertEquals(image.manifestDigest(), pulled.manifestDigest());
        assertEquals(ImageLibrary.open(Path.of(store())).resolve("busybox").diffIds(), pulled.diffIds());

        String copy = open.address() + "/copy:1.0";
        assertSucceeds(canal(Map.of(), "tag", "--root", store(), name, copy), "");
        var mounted = canal(Map.of(), "push", "--root", store(), copy);
        assertEquals(0, mounted.exitCode(), mounted.stderr());
        assertTrue(mounted.stdout().contains(layer.shortHex() + ": Mounted from bb\n"), mounted.stdout());
    }

    @Test
    void saveAndLoadRoundTripAndAnUnknownImageLeavesNoFile() throws Exception {
        importBusybox();
        // docker's second spelling, canal image tag, as well
        assertSucceeds(canal(Map.of(), "image", "tag", "--root", store(), "busybox", "saved/bb:2"), "");
        Path archive = work.resolve("images.tar");
        assertSucceeds(
                canal(Map.of(), "save", "--root", store(), "-o", archive.toString(), "busybox", "saved/bb:2"), "");

        String fresh = work.resolve("fresh").toString();
        assertSucceeds(
                canal(Map.of(), "load", "--root", fresh, "-i", archive.toString()),
                "Loaded image: busybox:latest\nLoaded image: saved/bb:2\n");
        ImageLibrary saved = ImageLibrary.open(Path.of(store()));
        ImageLibrary loaded = ImageLibrary.open(Path.of(fresh));
        for (String name : List.of("busybox", "saved/bb:2")) {
            assertEquals(
                    saved.resolve(name).manifestDigest(), loaded.resolve(name).manifestDigest());
        }

        Path nothing = work.resolve("nothing.tar");
        var unknown = canal(Map.of(), "save", "--root", store(), "-o", nothing.toString(), "busybox", "no-such");
        assertEquals(1, unknown.exitCode());
        assertEquals("canal: no such image: no-such\n", unknown.stderr());
        assertFalse(Files.exists(nothing));
        try (var left = Files.list(work)) {
            assertEquals(
                    List.of(),
                    left.filter(file -> file.getFileName().toString().endsWith(".tmp"))
                            .toList());
        }
    }

    @Test
    void loginKeepsTheCredentialsInConfigJsonOwnerOnlyAndPushUsesThem() throws Exception {
        importBusybox();
        Path dockerConfig = work.resolve("docker");
        Map<String, String> environment = Map.of("DOCKER_CONFIG", dockerConfig.toString());
        String registry = basicAuth.address();

        var wrong = login(environment, "wrong-password");
        assertEquals(1, wrong.exitCode());
        assertEquals(
                "canal: login " + registry + ": unauthorized: " + registry + " refused the user name or password\n",
                wrong.stderr());
        assertFalse(Files.exists(dockerConfig.resolve("config.json")));

        Path configJson = dockerConfig.resolve("config.json");
        assertSucceeds(login(environment, PASSWORD), "Credentials kept in " + configJson + "\nLogin Succeeded\n");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(configJson)));
        assertEquals(
                Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)),
                JSON.readTree(configJson.toFile())
                        .path("auths")
                        .path(registry)
                        .path("auth")
                        .asString());

        String name = registry + "/private:1.0";
        assertSucceeds(canal(environment, "tag", "--root", store(), "busybox", name), "");
        var push = canal(environment, "push", "--quiet", "--root", store(), name);
        assertSucceeds(push, name + "\n");

        assertSucceeds(canal(environment, "logout", registry), "Removing login credentials for " + registry + "\n");
        assertFalse(JSON.readTree(configJson.toFile()).path("auths").has(registry));
        assertSucceeds(canal(environment, "logout", registry), "Not logged in to " + registry + "\n");
        var refused = canal(environment, "push", "--quiet", "--root", store(), name);
        assertEquals(1, refused.exitCode());
        assertEquals(
                "canal: push " + name + ": unauthorized: " + registry
                        + " asks for a user name and password and none was given\n",
                refused.stderr());
    }

    @Test
    void aCredentialHelperOnThePathKeepsThePasswordWhenConfigJsonNamesIt() throws Exception {
        importBusybox();
        Path dockerConfig = Files.createDirectories(work.resolve("docker"));
        Files.writeString(
                dockerConfig.resolve("config.json"), "{\"credsStore\": \"fake\", \"detachKeys\": \"ctrl-e\"}");
        Path helperDirectory = Files.createDirectories(work.resolve("helper-bin"));
        Path kept = work.resolve("helper-kept.json");
        Path calls = work.resolve("helper-calls.txt");
        Path helper = helperDirectory.resolve("docker-credential-fake");
        // docker-credential-helpers' protocol: the action as the argument, the input on stdin.
        Files.writeString(helper, """
                #!/bin/sh
                echo "$1 $(head -c 200)" >> %s
                case "$1" in
                  store) tail -n 1 %s | cut -d' ' -f2- > %s ;;
                  get) if [ -s %s ]; then cat %s; else echo "credentials not found in native keychain"; exit 1; fi ;;
                  erase) rm -f %s ;;
                esac
                """.formatted(calls, calls, kept, kept, kept, kept));
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> environment =
                Map.of("DOCKER_CONFIG", dockerConfig.toString(), "PATH", helperDirectory + ":" + System.getenv("PATH"));
        String registry = basicAuth.address();

        assertSucceeds(login(environment, PASSWORD), "Credentials kept by docker-credential-fake\nLogin Succeeded\n");

        JsonNode config = JSON.readTree(dockerConfig.resolve("config.json").toFile());
        assertEquals("{}", config.path("auths").path(registry).toString());
        assertEquals("ctrl-e", config.path("detachKeys").asString());
        JsonNode stored = JSON.readTree(kept.toFile());
        assertEquals(registry, stored.path("ServerURL").asString());
        assertEquals(USER, stored.path("Username").asString());
        assertEquals(PASSWORD, stored.path("Secret").asString());

        String name = registry + "/helped:1.0";
        assertSucceeds(canal(environment, "tag", "--root", store(), "busybox", name), "");
        var push = canal(environment, "push", "--quiet", "--root", store(), name);
        assertEquals(0, push.exitCode(), push.stderr());
        assertTrue(Files.readString(calls).contains("get " + registry), Files.readString(calls));

        assertSucceeds(canal(environment, "logout", registry), "Removing login credentials for " + registry + "\n");
        assertFalse(Files.exists(kept));
    }

    private CanalHome.Result login(Map<String, String> environment, String password) throws Exception {
        return CanalHome.runTyping(
                password + "\n", environment, "canal", "login", "-u", USER, "--password-stdin", basicAuth.address());
    }

    private void importBusybox() throws Exception {
        var imported = canal(Map.of(), "import", "--root", store(), busybox.toString(), "busybox");
        assertEquals(0, imported.exitCode(), imported.stderr());
    }

    private static void assertSucceeds(CanalHome.Result result, String stdout) {
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stderr());
        assertEquals(stdout, result.stdout());
    }

    private static CanalHome.Result canal(Map<String, String> environment, String... args) throws Exception {
        return CanalHome.run("canal", environment, args);
    }

    private String store() {
        return work.resolve("store").toString();
    }
}
