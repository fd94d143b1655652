package dev.canal.benchmarks;

import dev.canal.runtime.net.BridgeNetwork;
import dev.canal.runtime.net.BridgeNetworking;
import dev.canal.runtime.net.Endpoint;
import dev.canal.runtime.net.IpPrefix;
import dev.canal.runtime.net.NetworkNamespace;
import dev.canal.runtime.net.PortMapping;
import dev.canal.runtime.testing.ScratchNetworkNamespace;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a bridge-attached container costs over {@code --network none}: {@link
 * BridgeNetworking#attach} of a fresh container network namespace (a veth pair born across the
 * two namespaces, its alias, the container end up, an address, a default route, and with
 * {@code ports=1} a published port's DNAT rules in one nf_tables batch), measured per
 * container. The baseline in the same run is what {@code --network none} pays anyway: a new
 * network namespace with loopback up, made on a throwaway thread.
 *
 * <p>Everything happens in a network namespace of the benchmark's own (the "host"), and the
 * containers' namespaces are made inside it: nothing reaches the machine's network. Run as
 * root: {@code java -jar benchmarks/target/benchmarks.jar NetworkAttach}
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class NetworkAttachBenchmark {

    private static final BridgeNetwork NETWORK =
            new BridgeNetwork("bench", "canal-bench", List.of(IpPrefix.parse("gateway", "10.210.0.1/16")), 0, false);

    /** Published ports of each container: 0, or 1 (a tcp DNAT rule in Canal's table). */
    @Param({"0", "1"})
    public int ports;

    private NetworkNamespace host;
    private BridgeNetworking networking;
    private NetworkNamespace container;
    private Endpoint endpoint;
    private int containers;

    @Setup(Level.Trial)
    public void network() {
        host = ScratchNetworkNamespace.create();
        networking = BridgeNetworking.in(host.call(NetworkNamespace::current));
        networking.createNetwork(NETWORK);
    }

    /** A new container namespace and a new address for each attach, outside the measurement. */
    @Setup(Level.Invocation)
    public void container() {
        container = ScratchNetworkNamespace.createInside(host);
        containers++;
        String address = "10.210." + (containers / 250) % 250 + "." + (2 + containers % 250) + "/16";
        List<PortMapping> published = ports == 0 ? List.of() : List.of(new PortMapping("tcp", null, 8080, 80));
        endpoint = new Endpoint("c" + containers, "eth0", List.of(IpPrefix.parse("address", address)), true, published);
    }

    @Benchmark
    public void attach() {
        networking.attach(NETWORK, endpoint, container);
    }

    @Benchmark
    public void networkNoneBaseline() {
        ScratchNetworkNamespace.createInside(host).close();
    }

    @TearDown(Level.Invocation)
    public void detach() {
        networking.detach(NETWORK, endpoint.containerId());
        container.close();
    }

    @TearDown(Level.Trial)
    public void removeNetwork() {
        networking.removeAll();
        networking.close();
        host.close();
    }
}
