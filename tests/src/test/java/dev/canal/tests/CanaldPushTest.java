package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.images.testing.TestRegistry;
import dev.canal.runtime.testing.RequiresRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker push} and {@code docker login} through canald ({@code POST /images/{name}/push}
 * and {@code POST /auth} of the Engine API 1.50), driven by the real docker CLI against Debian's
 * docker-registry on 127.0.0.1, plain http as dockerd speaks to a loopback registry: one open, one
 * with htpasswd Basic auth. The CLI's DOCKER_CONFIG is a directory of {@link PrivateCanald}'s own,
 * so a login lands there and not in the machine's ~/.docker.
 */
@RequiresRoot
class CanaldPushTest {

    private static final String IMAGE = "canald-push-busybox";
    private static final String USER = "canal-user";
    private static final String PASSWORD = "pa55-w0rd";
    /** The line the CLI prints when a push has stored the manifest: {@code TAG: digest: D size: N}. */
    private static final Pattern PUSHED = Pattern.compile("(?m)^1: digest: (sha256:[0-9a-f]{64}) size: [0-9]+$");

    @TempDir
    static Path directory;

    private static TestRegistry open;
    private static TestRegistry basicAuth;
    private static PrivateCanald canald;

    @BeforeAll
    static void startRegistriesAndCanald() throws Exception {
        open = TestRegistry.open(directory, Files.createDirectory(directory.resolve("open")));
        basicAuth =
                TestRegistry.withHtpasswd(directory, Files.createDirectory(directory.resolve("basic")), USER, PASSWORD);
        canald = PrivateCanald.startWithImage(IMAGE);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable started : new AutoCloseable[] {canald, open, basicAuth}) {
            if (started != null) {
                started.close();
            }
        }
    }

    @Test
    void aPushedImagePullsBackWithTheSameDigestAndAMissingOneIsNotFound() throws Exception {
        String name = open.address() + "/bb:1";
        canald.succeeds("tag", IMAGE, name);

        String push = canald.succeeds("push", name);
        assertTrue(push.startsWith("The push refers to repository [" + open.address() + "/bb]"), push);
        assertTrue(push.contains(": Pushed"), push);
        String digest = pushedDigest(push);

        // Once there, the layer is not sent again.
        assertTrue(canald.succeeds("push", name).contains(": Layer already exists"));

        canald.succeeds("rmi", name);
        String pull = canald.succeeds("pull", name);
        assertTrue(pull.contains("Digest: " + digest), pull);

        var missing = canald.docker("push", open.address() + "/nothing:1");
        assertEquals(1, missing.exitCode());
        assertEquals(
                "Error response from daemon: An image does not exist locally with the tag: " + open.address()
                        + "/nothing\n",
                missing.stderr());
    }

    @Test
    void loginVerifiesThePasswordAndPushSendsTheCredentialsTheCliKept() throws Exception {
        String registry = basicAuth.address();
        String name = registry + "/private:1";
        canald.succeeds("tag", IMAGE, name);

        var anonymous = canald.docker("push", name);
        assertNotEquals(0, anonymous.exitCode(), anonymous.stdout());

        var wrong = login(registry, "wrong-password");
        assertNotEquals(0, wrong.exitCode());
        assertEquals(
                "Error response from daemon: login attempt to http://" + registry
                        + "/v2/ failed with status: 401 Unauthorized\n",
                wrong.stderr());

        var right = login(registry, PASSWORD);
        assertEquals(0, right.exitCode(), right.stderr());
        assertTrue(right.stdout().contains("Login Succeeded"), right.stdout());
        assertTrue(
                Files.readString(Path.of(canald.clientEnvironment().get("DOCKER_CONFIG"), "config.json"))
                        .contains(registry),
                "the CLI keeps the login in its own DOCKER_CONFIG");

        pushedDigest(canald.succeeds("push", name));
    }

    /** {@code docker login -u USER --password-stdin REGISTRY}, the password typed on standard input. */
    private static CanalHome.Result login(String registry, String password) throws IOException, InterruptedException {
        var environment = new HashMap<>(canald.clientEnvironment());
        environment.put("PASSWORD", password);
        return CanalHome.run(
                List.of(
                        "sh",
                        "-c",
                        "printf %s \"$PASSWORD\" | " + CanaldLauncher.DOCKER + " login -u " + USER
                                + " --password-stdin " + registry),
                environment,
                120);
    }

    private static String pushedDigest(String push) {
        Matcher line = PUSHED.matcher(push);
        assertTrue(line.find(), push);
        return line.group(1);
    }
}
