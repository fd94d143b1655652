package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.RequiresRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Images made in canald, driven by the real docker CLI: {@code docker commit} (POST /commit)
 * of a container's changes.
 */
@RequiresRoot
class CanaldImageBuildTest {

    private static final String BUSYBOX = "canald-build-busybox";

    private static PrivateCanald canald;

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
        var missing = canald.docker("commit", "nope", "never:1");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.stderr().contains("No such container: nope"), missing.stderr());
        canald.succeeds("rm", "changer");
    }
}
