package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.RequiresRoot;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the docker CLI lists about networks through canald, each answer as dockerd 20.10 gives
 * it to the same commands (issue 17, checked side by side on 2026-12-08): the PORTS and NETWORKS
 * columns of {@code docker ps} and its {@code network}, {@code publish} and {@code expose}
 * filters, and the filters of {@code docker network ls} and {@code docker network prune}.
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

    @Test
    void networkLsAndPruneApplyTheirFilters() throws Exception {
        canald.succeeds("network", "create", "--label", "keep=yes", "kept");
        canald.succeeds("network", "create", "--label", "team=blue", "spare");
        canald.succeeds("network", "create", "busy");
        canald.succeeds("run", "-d", "--name", "user", "--network", "busy", IMAGE, "sleep", "600");

        assertEquals(
                List.of("kept", "spare"), lines("network", "ls", "--filter", "dangling=true", "--format", "{{.Name}}"));
        assertEquals(
                List.of("bridge", "busy", "host", "kept", "none", "spare"),
                lines("network", "ls", "--filter", "scope=local", "--format", "{{.Name}}"));
        var unknown = canald.docker("network", "ls", "--filter", "colour=red");
        assertEquals(1, unknown.exitCode());
        assertEquals(
                "Error response from daemon: invalid filter 'colour'",
                unknown.stderr().strip());

        // Created a moment ago: none is older than an hour, and prune removes nothing.
        assertEquals("", canald.succeeds("network", "prune", "-f", "--filter", "until=1h"));
        assertEquals("Deleted Networks:\nspare", canald.succeeds("network", "prune", "-f", "--filter", "label!=keep"));
        assertEquals(
                List.of("busy", "kept"), lines("network", "ls", "--filter", "type=custom", "--format", "{{.Name}}"));

        canald.succeeds("rm", "-f", "user");
        canald.succeeds("network", "rm", "busy", "kept");
    }

    /**
     * {@code until} takes what dockerd's filters take (moby's GetTimestamp): a date or time
     * without a zone is local time, as dockerd 20.10 read {@code 2026-12-08T00:00:00} and
     * {@code 2026-12-08}, which canald refused before; anything else is refused in one line.
     */
    @Test
    void pruneUntilTakesTimesWithoutAZoneAndDates() throws Exception {
        canald.succeeds("network", "create", "--label", "until-test", "dated");
        try {
            var pattern = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
            String yesterday = LocalDateTime.now().minusDays(1).format(pattern);
            String tomorrow = LocalDateTime.now().plusDays(1).format(pattern);

            assertEquals("", canald.succeeds("network", "prune", "-f", "--filter", "until=" + yesterday));
            assertEquals(
                    "", canald.succeeds("network", "prune", "-f", "--filter", "until=" + yesterday.substring(0, 10)));
            var bogus = canald.docker("network", "prune", "-f", "--filter", "until=bogus");
            assertEquals(1, bogus.exitCode());
            assertEquals(
                    "Error response from daemon: failed to parse value as time or duration: \"bogus\"",
                    bogus.stderr().strip());
            assertEquals(
                    "Deleted Networks:\ndated",
                    canald.succeeds(
                            "network",
                            "prune",
                            "-f",
                            "--filter",
                            "until=" + tomorrow + ".5",
                            "--filter",
                            "label=until-test"));
        } finally {
            // Gone already when the last prune worked; left for the next test otherwise.
            canald.docker("network", "rm", "dated");
        }
    }

    /**
     * {@code docker import --change} sets the image's config as {@code commit --change} does
     * (moby's validCommitCommands), as dockerd 20.10 did on 2026-12-08: the {@code EXPOSE} that
     * {@code -P} and {@code ps --filter expose} read and {@code HEALTHCHECK} were ignored
     * before. A change that is no config setting is refused in one line and leaves no image.
     */
    @Test
    void importChangesSetTheImagesConfig(@TempDir Path directory) throws Exception {
        String tar = BusyboxTar.create(directory).toString();
        canald.succeeds(
                "import",
                "-c",
                "EXPOSE 80/tcp",
                "-c",
                "EXPOSE 53/udp 8080",
                "-c",
                "HEALTHCHECK --interval=5s CMD true",
                tar,
                "exposing");
        assertEquals(
                "{\"53/udp\":{},\"80/tcp\":{},\"8080/tcp\":{}} {\"Test\":[\"CMD-SHELL\",\"true\"],\"Interval\":5000000000}",
                canald.succeeds(
                        "image",
                        "inspect",
                        "-f",
                        "{{json .Config.ExposedPorts}} {{json .Config.Healthcheck}}",
                        "exposing"));
        var refused = canald.docker("import", "-c", "RUN true", tar, "refused");
        assertEquals(1, refused.exitCode());
        assertEquals(
                "Error response from daemon: RUN true: RUN is not a valid change command",
                refused.stderr().strip());
        assertNotEquals(0, canald.docker("image", "inspect", "refused").exitCode());
        canald.succeeds("rmi", "exposing");
    }

    /**
     * A request refused before its body is read still has its body read to the end before the
     * answer: a client still sending (docker import's tar, refused for its changes) gets the
     * answer, not a connection closed under its writes ("broken pipe", which the docker CLI
     * then printed in 9 of 30 imports of a 10 MB file). Sent by hand, so the race is not the
     * CLI's to win: 32 MB is far more than the socket's buffers hold.
     */
    @Test
    void aRefusedUploadIsReadToItsEndBeforeTheAnswer() throws Exception {
        long length = 32L << 20;
        try (var channel = SocketChannel.open(UnixDomainSocketAddress.of(canald.socket()))) {
            String head = "POST /v1.50/images/create?fromSrc=-&repo=refused&changes=RUN+true HTTP/1.1\r\n"
                    + "Host: docker\r\nConnection: close\r\nContent-Type: application/x-tar\r\n"
                    + "Content-Length: " + length + "\r\n\r\n";
            channel.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer zeros = ByteBuffer.allocate(1 << 16);
            for (long sent = 0; sent < length; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), length - sent));
                sent += channel.write(zeros);
            }
            String answer = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            assertTrue(answer.endsWith("{\"message\":\"RUN true: RUN is not a valid change command\"}"), answer);
        }
    }

    /** The lines of a docker command that must succeed, sorted (dockerd lists in no fixed order). */
    private static List<String> lines(String... args) throws Exception {
        String output = canald.succeeds(args);
        return output.isEmpty() ? List.of() : output.lines().sorted().toList();
    }
}
