package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images made in canald, driven by the real docker CLI: {@code docker commit} (POST /commit)
 * of a container's changes, and {@code DOCKER_BUILDKIT=0 docker build} (POST /build, the
 * classic builder) of {@link BuildContexts}'s two stages, its rebuild from the cache, a rebuild
 * after a source changed, and builds that fail and leave nothing.
 */
@RequiresRoot
class CanaldImageBuildTest {

    private static final String BUSYBOX = "canald-build-busybox";

    private static PrivateCanald canald;

    @TempDir
    Path work;

    @BeforeAll
    static void startCanald() throws Exception {
        canald = PrivateCanald.startWithImage(BUSYBOX);
    }

    @AfterAll
    static void stop() throws Exception {
        if (canald != null) {
            canald.close();
        }
    }

    @Test
    void commitMakesAnImageWithTheContainersChangesAndCommand() throws Exception {
        canald.succeeds(
                "run", "--name", "changer", "-e", "GREETING=hi", BUSYBOX, "sh", "-c", ContainerCommandsTest.CHANGES);
        String id = canald.succeeds("commit", "-a", "tester", "-m", "three changes", "changer", "committed:1");
        assertTrue(id.matches("sha256:[0-9a-f]{64}"), id);
        assertEquals(
                "made\nfresh\nvi gone",
                canald.succeeds("run", "--rm", "committed:1", "sh", "-c", ContainerCommandsTest.CHANGES_SEEN));
        assertEquals(
                "sh " + ContainerCommandsTest.CHANGES + " tester",
                canald.succeeds(
                        "image",
                        "inspect",
                        "--format",
                        "{{index .Config.Cmd 0}} {{index .Config.Cmd 2}} {{.Author}}",
                        "committed:1"));
        assertTrue(canald.succeeds("image", "inspect", "--format", "{{json .Config.Env}}", "committed:1")
                .contains("GREETING=hi"));
        canald.succeeds(
                "commit",
                "--change",
                "CMD [\"cat\", \"/made\"]",
                "--change",
                "ENV MODE=changed",
                "changer",
                "committed:2");
        assertEquals("made", canald.succeeds("run", "--rm", "committed:2"));
        assertEquals("changed", canald.succeeds("run", "--rm", "committed:2", "sh", "-c", "echo $MODE"));
        var refused = canald.docker("commit", "--change", "RUN true", "changer", "never:1");
        assertEquals(1, refused.exitCode());
        assertTrue(refused.stderr().contains("RUN true: RUN is not a valid change command"), refused.stderr());
        var missing = canald.docker("commit", "nope", "never:1");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.stderr().contains("No such container: nope"), missing.stderr());
        canald.succeeds("rm", "changer");
    }

    @Test
    void dockerBuildMakesTheImageRebuildsFromTheCacheAndAgainFromAChangedSource() throws Exception {
        Path context = BuildContexts.create(work.resolve("context"), "canald");
        String first = build(context, "built:1");
        assertTrue(first.contains("Successfully tagged built:1"), first);
        assertEquals("hello from canald", canald.succeeds("run", "--rm", "built:1"));
        assertEquals(
                BuildContexts.INSPECTED,
                canald.succeeds("run", "--rm", "built:1", "sh", "-c", BuildContexts.INSPECTION));

        String again = build(context, "built:1");
        assertEquals(BuildContexts.CACHEABLE_STEPS, count(again, " ---> Using cache"), again);
        assertEquals(id(first), id(again));

        Files.writeString(context.resolve("src/name.txt"), "changed\n");
        String changed = build(context, "built:1");
        assertEquals(BuildContexts.CACHED_AFTER_A_CHANGED_SOURCE, count(changed, " ---> Using cache"), changed);
        assertEquals("hello from changed", canald.succeeds("run", "--rm", "built:1"));
        assertEquals("", canald.succeeds("ps", "-a", "-q"), "a step's container is left");
    }

    @Test
    void aBadDockerfileOrAFailingRunFailsWithOneLineAndLeavesNoContainer() throws Exception {
        String images = canald.succeeds("images", "-q");
        Path bad = Files.createDirectories(work.resolve("bad"));
        Files.writeString(bad.resolve("Dockerfile"), "FROM " + BUSYBOX + "\nBLORPX bar\n");
        var parse = buildkitOff("build", "-t", "bad:1", bad.toString());
        assertEquals(1, parse.exitCode());
        // Before it the CLI warns that the classic builder is deprecated.
        assertEquals(
                "Error response from daemon: dockerfile parse error on line 2: unknown instruction: BLORPX",
                parse.stderr().strip().lines().toList().getLast());
        assertEquals(images, canald.succeeds("images", "-q"));

        Files.writeString(bad.resolve("Dockerfile"), "FROM " + BUSYBOX + "\nRUN echo partial > /x && exit 3\n");
        var run = buildkitOff("build", "-t", "bad:1", bad.toString());
        assertEquals(1, run.exitCode());
        assertTrue(
                run.stderr()
                        .contains("The command '/bin/sh -c echo partial > /x && exit 3' returned a non-zero code: 3"),
                run.stderr());
        assertEquals("", canald.succeeds("ps", "-a", "-q"), "the failed step's container is left");
        assertEquals(images, canald.succeeds("images", "-q"));
    }

    /** ADD unpacks a local tar, COPY takes a glob, and the metadata instructions reach the config. */
    @Test
    void addUnpacksGlobsCopyAndMetadataLandInTheConfig() throws Exception {
        Path context = Files.createDirectories(work.resolve("metadata"));
        Path payload = Files.createDirectories(work.resolve("payload"));
        Files.writeString(payload.resolve("inner.txt"), "from the archive\n");
        var tar = new ProcessBuilder(
                        "tar",
                        "-C",
                        payload.toString(),
                        "-czf",
                        context.resolve("files.tar.gz").toString(),
                        "inner.txt")
                .start();
        assertEquals(0, tar.waitFor());
        Files.writeString(context.resolve("a.txt"), "a\n");
        Files.writeString(context.resolve("b.txt"), "b\n");
        Files.writeString(context.resolve("Dockerfile"), """
                FROM %s
                ADD files.tar.gz /unpacked/
                COPY *.txt /texts/
                EXPOSE 8080
                LABEL stage=final
                HEALTHCHECK --interval=5s CMD true
                STOPSIGNAL SIGINT
                ENTRYPOINT ["sh", "-c"]
                """.formatted(BUSYBOX));
        var built = buildkitOff("build", "--label", "built-by=test", "-t", "metadata:1", context.toString());
        assertEquals(0, built.exitCode(), built.stdout() + built.stderr());
        assertEquals(
                "a.txt\nb.txt\ninner.txt",
                canald.succeeds("run", "--rm", "metadata:1", "ls /unpacked /texts | grep txt"));
        assertEquals(
                "{\"8080/tcp\":{}} final test SIGINT [\"CMD-SHELL\",\"true\"] 5s",
                canald.succeeds(
                        "image",
                        "inspect",
                        "--format",
                        "{{json .Config.ExposedPorts}} {{.Config.Labels.stage}} {{index .Config.Labels \"built-by\"}}"
                                + " {{.Config.StopSignal}} {{json .Config.Healthcheck.Test}}"
                                + " {{.Config.Healthcheck.Interval}}",
                        "metadata:1"));
    }

    /** {@code docker build} with the classic builder; its output. */
    private static String build(Path context, String tag) throws Exception {
        var result = buildkitOff("build", "--build-arg", "BASE=" + BUSYBOX, "-t", tag, context.toString());
        assertEquals(0, result.exitCode(), result.stdout() + result.stderr() + canald.log());
        return result.stdout();
    }

    private static CanalHome.Result buildkitOff(String... args) throws Exception {
        Map<String, String> environment = new HashMap<>(canald.clientEnvironment());
        environment.put("DOCKER_BUILDKIT", "0");
        return CanaldLauncher.docker(environment, args);
    }

    /** The id the build printed last: {@code Successfully built 0123456789ab}. */
    static String id(String output) {
        var matcher = Pattern.compile("Successfully built ([0-9a-f]{12})").matcher(output);
        assertTrue(matcher.find(), output);
        return matcher.group(1);
    }

    static long count(String output, String line) {
        return output.lines().filter(line::equals).count();
    }
}
