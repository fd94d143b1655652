package dev.canal.benchmarks;

import dev.canal.engine.ContainerRecord;
import dev.canal.engine.ContainerSpec;
import dev.canal.engine.net.BridgeDefaults;
import dev.canal.engine.net.NetworkCreate;
import dev.canal.engine.net.NetworkRequest;
import dev.canal.engine.net.Networks;
import dev.canal.images.ImageLibrary;
import dev.canal.images.store.FileTrees;
import dev.canal.runtime.net.IpPrefix;
import dev.canal.runtime.net.NetworkNamespace;
import dev.canal.runtime.testing.ScratchNetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The engine's networks in a network namespace of the benchmark's own, and containers on one of
 * them as the engine records them: what {@link EngineNetworkBenchmark} and {@link
 * EngineNetworkReleaseBenchmark} measure around. Each container gets a new network namespace
 * made inside the benchmark's, standing for its process's.
 */
final class NetworkedContainers implements AutoCloseable {

    /** The values of the benchmarks' {@code network} parameter: docker's {@code --network} of each container. */
    static final String NONE = "none";

    /** The default network, {@code canal0} in the benchmark's namespace: no embedded DNS server. */
    static final String BRIDGE = "bridge";

    /** A user network, {@code docker network create bench}: with the embedded DNS server. */
    static final String USER = "user";

    private static final String USER_NETWORK = "bench";

    private final Path dataRoot;
    private final NetworkNamespace host;
    private final String network;
    final Networks networks;
    private int containers;

    /** The networks, with the one {@code kind} ({@link #NONE}, {@link #BRIDGE}, {@link #USER}) names. */
    NetworkedContainers(String kind) throws IOException {
        network = switch (kind) {
            case NONE -> "none";
            case BRIDGE -> "bridge";
            case USER -> USER_NETWORK;
            default -> throw new IllegalArgumentException("network " + kind + ": expected none, bridge or user");
        };
        dataRoot = Files.createTempDirectory("canal-bench-networks");
        host = ScratchNetworkNamespace.create();
        var defaults = new BridgeDefaults(BridgeDefaults.DEFAULT_BRIDGE, IpPrefix.parse("--bip", "10.212.0.1/16"));
        networks = Networks.in(dataRoot, ImageLibrary.open(dataRoot.resolve("images")), defaults, host);
        networks.restore(container -> false); // the default network, as canald's start makes it
        if (kind.equals(USER)) {
            networks.create(new NetworkCreate(USER_NETWORK, null, "10.211.0.0/16", null, null, false, Map.of()));
        }
    }

    /** A container on the network, not yet prepared: its record, directory and namespace. */
    Container next() throws IOException {
        containers++;
        String id = String.format("%064x", containers);
        var settings = new ContainerSpec.HostSettings(
                null, false, null, null, network, false, null, null, false, null, null, null, NetworkRequest.NONE);
        var spec = new ContainerSpec(
                "bench",
                null,
                null,
                List.of(),
                null,
                null,
                id.substring(0, 12),
                false,
                false,
                false,
                Map.of(),
                null,
                null,
                settings);
        var record =
                ContainerRecord.created(id, "c" + containers, "bench", null, List.of(), "2026-12-07T00:00:00Z", spec);
        return new Container(
                record,
                Files.createDirectories(dataRoot.resolve("containers").resolve(id)),
                ScratchNetworkNamespace.createInside(host));
    }

    /** One container: its record, its directory (for the /etc files) and its network namespace. */
    record Container(ContainerRecord record, Path directory, NetworkNamespace namespace) {}

    /**
     * Releases {@code container}'s endpoint, closes its namespace, removes its directory, and
     * waits until the engine's reaper has deleted its veth and given its address back (no file
     * under the network's addresses is left), so that no deletion runs into the next invocation.
     */
    void discard(Container container) {
        networks.release(container.record().id());
        container.namespace().close();
        FileTrees.delete(container.directory());
        Path held = dataRoot.resolve("networks/addresses")
                .resolve(networks.find(network).id());
        while (holdsAny(held)) {
            LockSupport.parkNanos(100_000);
        }
    }

    private static boolean holdsAny(Path addresses) {
        try (Stream<Path> files = Files.list(addresses)) {
            return files.findAny().isPresent();
        } catch (NoSuchFileException none) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (network.equals(USER_NETWORK)) {
            networks.remove(USER_NETWORK);
        }
        networks.close(); // the namespace's end takes the default bridge and Canal's table along
        FileTrees.delete(dataRoot);
    }
}
