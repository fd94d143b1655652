package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.canal.runtime.testing.RequiresRoot;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the docker CLI lists about networks through canald, each answer as dockerd 20.10 gives
 * it to the same commands (issue 17, checked side by side on 2026-12-08): the PORTS and NETWORKS
 * columns of {@code docker ps} and its {@code network}, {@code publish} and {@code expose}
 * filters.
 * canald runs in a network namespace of the test's own ({@link NetworkedCanald}).
 */
@RequiresRoot
class CanaldNetworkListingTest {

    private static final String IMAGE = "canal-listing-busybox";

    private static NetworkedCanald canald;

    @BeforeAll
    static void canaldInANetworkNamespaceOfItsOwn() throws Exception {
        canald = NetworkedCanald.startWithImage(IMAGE);
    }

    @AfterAll
    static void stop() throws Exception {
        if (canald != null) {
            canald.close();
        }
    }

    @Test
    void psShowsPortsAndNetworksAndFiltersOnThem() throws Exception {
        canald.succeeds("network", "create", "--subnet", "10.221.0.0/24", "shop");
        canald.succeeds(
                "run",
                "-d",
                "--name",
                "till",
                "--network",
                "shop",
                "-p",
                "127.0.0.1:8080:80",
                "--expose",
                "53/udp",
                IMAGE,
                "sleep",
                "600");
        canald.succeeds("run", "-d", "--name", "quiet", IMAGE, "sleep", "600");
        canald.succeeds("create", "--name", "idle", "--network", "shop", IMAGE, "true");

        assertEquals(
                List.of("idle||shop", "quiet||bridge", "till|53/udp, 127.0.0.1:8080->80/tcp|shop"),
                lines("ps", "-a", "--format", "{{.Names}}|{{.Ports}}|{{.Networks}}"));
        assertEquals(List.of("idle", "till"), lines("ps", "-a", "--filter", "network=shop", "--format", "{{.Names}}"));
        assertEquals(List.of("till"), lines("ps", "--filter", "publish=8080", "--format", "{{.Names}}"));
        assertEquals(List.of("till"), lines("ps", "--filter", "publish=8000-8100/tcp", "--format", "{{.Names}}"));
        assertEquals(List.of(), lines("ps", "--filter", "publish=8080/udp", "--format", "{{.Names}}"));
        assertEquals(List.of("till"), lines("ps", "--filter", "expose=53/udp", "--format", "{{.Names}}"));
        assertEquals(List.of("till"), lines("ps", "--filter", "expose=80", "--format", "{{.Names}}"));

        canald.succeeds("rm", "-f", "till", "quiet", "idle");
        canald.succeeds("network", "rm", "shop");
    }

    /** The lines of a docker command that must succeed, sorted (dockerd lists in no fixed order). */
    private static List<String> lines(String... args) throws Exception {
        String output = canald.succeeds(args);
        return output.isEmpty() ? List.of() : output.lines().sorted().toList();
    }
}
