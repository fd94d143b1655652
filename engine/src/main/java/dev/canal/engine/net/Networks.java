package dev.canal.engine.net;

import dev.canal.engine.ConflictException;
import dev.canal.engine.ContainerRecord;
import dev.canal.engine.ContainerSpec;
import dev.canal.engine.NoSuchObjectException;
import dev.canal.engine.Volume;
import dev.canal.engine.dns.EmbeddedDns;
import dev.canal.images.ImageLibrary;
import dev.canal.runtime.net.BridgeNetworking;
import dev.canal.runtime.net.BridgeNetworking.Attachment;
import dev.canal.runtime.net.Endpoint;
import dev.canal.runtime.net.IpPrefix;
import dev.canal.runtime.net.NetlinkSocket;
import dev.canal.runtime.net.NetworkNamespace;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The engine's networks: docker's {@code network create/ls/inspect/rm/prune}, the default
 * {@code bridge} network, and each container's endpoint from its start to its end. A container
 * on a bridge network gets, in this order: an address ({@link AddressPool}), its published ports
 * held on the host ({@link PortProxy}), its /etc files ({@link EtcFiles}), all before its
 * process exists; then, once the process exists in its new network namespace and before it
 * runs, the veth pair, address, route and rules ({@link BridgeNetworking#attach}).
 *
 * <p>All of it happens in the network namespace of the daemon's threads. Netlink is opened only
 * when a bridge network exists, so an engine without one never touches nf_tables. One lock
 * serialises every change, as {@link BridgeNetworking} asks.
 */
public final class Networks implements AutoCloseable {

    /** moby's refusal of {@code --ip} on a network whose subnet the daemon chose. */
    private static final String USER_SUBNETS_ONLY =
            "user specified IP address is supported only when connecting to networks with user configured subnets";

    /** moby's refusal to connect a container on the host's or another container's network to one more. */
    private static final String SHARED_NAMESPACE =
            "container sharing network namespace with another container or host cannot be connected to any other network";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The pre-defined networks without a bridge, made once: every lookup lists them. */
    private static final List<NetworkRecord> PREDEFINED =
            List.of(predefined("host", "host"), predefined("none", "null"));

    private final NetworkStore store;
    private final AddressPool addresses;
    private final BridgeDefaults defaults;
    private final ImageLibrary images;
    private final Path hostResolvConf;
    private final Map<String, List<PortProxy>> proxies = new HashMap<>();
    /** What prepare gave each container being started, kept for its connect. */
    private final Map<String, Prepared> prepared = new HashMap<>();

    private final EmbeddedDns dns;
    private final Supplier<NetworkNamespace> host;
    private BridgeNetworking networking;
    private final VethReaper reaper;

    private Networks(
            Path root,
            ImageLibrary images,
            BridgeDefaults defaults,
            Path hostResolvConf,
            Supplier<NetworkNamespace> host,
            ExecutorService reaperThread) {
        this.store = new NetworkStore(root);
        this.addresses = new AddressPool(store.addresses());
        this.defaults = defaults;
        this.images = images;
        this.hostResolvConf = hostResolvConf;
        this.host = host;
        this.dns = new EmbeddedDns(new NetworkNameDirectory(store, this));
        this.reaper = new VethReaper(() -> networking().openRouteSocket(), reaperThread);
    }

    /** The networks kept under {@code dataRoot/networks}, in the network namespace of the threads that change them. */
    public static Networks open(Path dataRoot, ImageLibrary images, BridgeDefaults defaults) {
        return new Networks(
                dataRoot.resolve("networks"),
                images,
                defaults,
                Path.of("/etc/resolv.conf"),
                NetworkNamespace::current,
                VethReaper.newThread());
    }

    /**
     * The networks kept under {@code dataRoot/networks}, their bridges and rules in {@code host},
     * which the networks now own (a benchmark's or a test's namespace). Published ports are
     * still bound in the calling thread's namespace.
     */
    public static Networks in(Path dataRoot, ImageLibrary images, BridgeDefaults defaults, NetworkNamespace host) {
        return in(dataRoot, images, defaults, host, VethReaper.newThread());
    }

    /** {@link #in} with the veth deletions run by {@code reaperThread}, a test's, which can hold them back. */
    static Networks in(
            Path dataRoot,
            ImageLibrary images,
            BridgeDefaults defaults,
            NetworkNamespace host,
            ExecutorService reaperThread) {
        return new Networks(
                dataRoot.resolve("networks"), images, defaults, Path.of("/etc/resolv.conf"), () -> host, reaperThread);
    }

    /** Every network: the pre-defined {@code host} and {@code none}, then the stored ones, oldest first. */
    public synchronized List<NetworkRecord> list() {
        var all = new ArrayList<NetworkRecord>(PREDEFINED);
        all.addAll(store.list());
        return all;
    }

    /**
     * Docker's lookup: the exact id, then the exact name, then a unique id prefix.
     *
     * @throws NoSuchObjectException as docker's {@code network NAME not found}
     */
    public synchronized NetworkRecord find(String idOrName) {
        List<NetworkRecord> all = list();
        for (Predicate<NetworkRecord> exact : List.<Predicate<NetworkRecord>>of(
                n -> n.id().equals(idOrName), n -> n.name().equals(idOrName))) {
            var found = all.stream().filter(exact).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
        }
        List<NetworkRecord> byPrefix = idOrName.isEmpty()
                ? List.of()
                : all.stream().filter(n -> n.id().startsWith(idOrName)).toList();
        if (byPrefix.size() == 1) {
            return byPrefix.getFirst();
        }
        if (byPrefix.size() > 1) {
            throw new IllegalArgumentException(
                    "network " + idOrName + " is ambiguous (" + byPrefix.size() + " matches found on id prefix)");
        }
        throw new NoSuchObjectException("network " + idOrName + " not found");
    }

    /** The endpoints of the containers on {@code network} now. */
    public synchronized List<ContainerEndpoint> endpointsOn(NetworkRecord network) {
        return store.allEndpoints().stream()
                .filter(e -> e.networkId().equals(network.id()))
                .toList();
    }

    /** The endpoints of container {@code containerId} while it runs; empty otherwise. */
    public synchronized List<ContainerEndpoint> endpointsOf(String containerId) {
        return store.endpoints(containerId);
    }

    /**
     * The networks container {@code record} is on, what {@code docker inspect} lists (moby's
     * {@code NetworkSettings.Networks}), by name, each with its fixed address and aliases: the
     * one it was created on unless {@code docker network disconnect} took it off it (listed by
     * its {@code --network} name even before it exists), then those {@code docker network
     * connect} added that still exist. None for a container sharing another's namespace.
     */
    public synchronized SequencedMap<String, NetworkConnection> networksOf(ContainerRecord record) {
        var networks = new LinkedHashMap<String, NetworkConnection>();
        ContainerSpec spec = record.specOrDefault();
        String mode = modeOf(spec);
        if (SharedNetwork.isShared(mode)) {
            return networks;
        }
        if (!store.leftCreationNetwork(record.id())) {
            NetworkRequest request = spec.host().networking();
            Optional<NetworkRecord> created = existing(mode);
            networks.put(
                    created.map(NetworkRecord::name).orElse(mode),
                    new NetworkConnection(
                            created.map(NetworkRecord::id).orElse(""), request.ipv4Address(), request.aliases()));
        }
        for (NetworkConnection connection : store.connections(record.id())) {
            existing(connection.networkId()).ifPresent(network -> networks.put(network.name(), connection));
        }
        return networks;
    }

    private Optional<NetworkRecord> existing(String idOrName) {
        try {
            return Optional.of(find(idOrName));
        } catch (NoSuchObjectException gone) {
            return Optional.empty();
        }
    }

    /**
     * {@code docker network create}: the record, then the bridge with its gateway and the
     * network's rules. Nothing is left if any of it fails.
     */
    public synchronized NetworkRecord create(NetworkCreate request) {
        if (request.driver() != null
                && !request.driver().isEmpty()
                && !request.driver().equals("bridge")) {
            throw new NoSuchObjectException("plugin \"" + request.driver() + "\" not found");
        }
        if (list().stream().anyMatch(n -> n.name().equals(request.name()))) {
            throw new ConflictException("network with name " + request.name() + " already exists");
        }
        IpPrefix subnet = request.subnet() == null ? freeSubnet() : subnet(request.subnet());
        checkNoOverlap(subnet);
        IpPrefix gateway = request.gateway() == null
                ? subnet.offset(1)
                : new IpPrefix(IpPrefix.literal("--gateway", request.gateway()), subnet.length());
        if (!subnet.contains(gateway.address()) || gateway.address().equals(subnet.address())) {
            throw new IllegalArgumentException(
                    "--gateway " + gateway.address().getHostAddress() + ": not a host address of subnet " + subnet);
        }
        if (request.ipRange() != null) {
            IpPrefix range = IpPrefix.parse("--ip-range", request.ipRange());
            if (range.length() < subnet.length() || !subnet.contains(range.address())) {
                throw new IllegalArgumentException("--ip-range " + range + ": not inside subnet " + subnet);
            }
        }
        String id = newId();
        var network = new NetworkRecord(
                id,
                request.name(),
                "bridge",
                "br-" + id.substring(0, 12),
                subnet.toString(),
                gateway.address().getHostAddress(),
                request.ipRange(),
                request.internal(),
                request.labels(),
                Instant.now().toString(),
                request.subnet() == null);
        network.bridgeNetwork(); // the runtime's checks of the name, before anything exists
        store.write(network);
        try {
            networking().createNetwork(network.bridgeNetwork());
        } catch (RuntimeException e) {
            discard(network, e);
            throw e;
        }
        return network;
    }

    /** {@code docker network rm}: its rules, its bridge, its record. */
    public synchronized void remove(String idOrName) {
        NetworkRecord network = find(idOrName);
        if (network.predefined()) {
            throw new ForbiddenException(network.name() + " is a pre-defined network and cannot be removed");
        }
        if (!endpointsOn(network).isEmpty()) {
            throw new ForbiddenException("error while removing network: network " + network.name() + " id "
                    + network.id() + " has active endpoints");
        }
        reaper.awaitNetwork(network.id()); // no veth left on the bridge, no address given back after forget
        networking().removeNetwork(network.bridgeNetwork());
        addresses.forget(network);
        store.remove(network);
    }

    /** {@code docker network prune}: every network {@code wanted} accepts that no container is on, but the pre-defined ones. */
    public synchronized List<String> prune(Predicate<NetworkRecord> wanted) {
        var removed = new ArrayList<String>();
        for (NetworkRecord network : store.list()) {
            if (!network.predefined()
                    && wanted.test(network)
                    && endpointsOn(network).isEmpty()) {
                remove(network.id());
                removed.add(network.name());
            }
        }
        return removed;
    }

    /** The network a container's {@code --network} names: {@code default} is {@code bridge}, or {@code none} without it. */
    public synchronized String modeOf(ContainerSpec spec) {
        String mode = spec.host().network();
        if (!mode.equals("default")) {
            return mode;
        }
        return store.list().stream().anyMatch(n -> n.name().equals(NetworkRecord.DEFAULT_BRIDGE))
                ? NetworkRecord.DEFAULT_BRIDGE
                : "none";
    }

    /**
     * At {@code docker create}: what the container asks of its network can be given. A network
     * that does not exist yet is not refused here, as docker's create does not refuse it (it
     * may be created before the start); the start fails with docker's 404 "network NAME not
     * found". A 404 from create would make the docker CLI think the image is missing.
     */
    public synchronized void validate(ContainerSpec spec) {
        String mode = modeOf(spec);
        NetworkRequest request = spec.host().networking();
        if (SharedNetwork.isShared(mode)) {
            SharedNetwork.validate(mode, spec.hostname(), request);
            return;
        }
        NetworkRecord network;
        try {
            network = find(mode);
        } catch (NoSuchObjectException notYet) {
            return;
        }
        if (!network.hasBridge()) {
            return;
        }
        if (request.ipv4Address() != null) {
            if (network.name().equals(NetworkRecord.DEFAULT_BRIDGE)) {
                throw new IllegalArgumentException(
                        "user specified IP address is supported on user defined networks only");
            }
            if (network.subnetFromPool()) {
                throw new IllegalArgumentException(USER_SUBNETS_ONLY);
            }
            if (!network.subnetPrefix().contains(IpPrefix.literal("--ip", request.ipv4Address()))) {
                throw new IllegalArgumentException("--ip " + request.ipv4Address() + ": not in subnet "
                        + network.subnet() + " of network " + network.name());
            }
        }
        if (!request.aliases().isEmpty() && network.name().equals(NetworkRecord.DEFAULT_BRIDGE)) {
            throw new IllegalArgumentException(
                    "network-scoped alias is supported only for containers in user defined networks");
        }
        request.dns().forEach(server -> IpPrefix.literal("--dns", server));
        EtcFiles.hosts("check", exampleEndpoint(network), request);
    }

    /**
     * Before the container's process exists: an address on its network (unless it was
     * disconnected from it) and on each network {@code docker network connect} added, the
     * published ports held on the first, the endpoints recorded, and /etc/hostname, /etc/hosts
     * and /etc/resolv.conf written in {@code directory}. Returns the files' bind mounts (on
     * {@code none} and {@code host}, or left with no network, the files alone: the container
     * has its loopback only, as moby's with no network). On failure, what was taken is released.
     */
    public synchronized List<Volume> prepare(ContainerRecord record, Path directory) {
        ContainerSpec spec = record.specOrDefault();
        if (SharedNetwork.isShared(modeOf(spec))) {
            return List.of(); // the other container's namespace and files (SharedNetwork)
        }
        NetworkRequest request = spec.host().networking();
        NetworkRecord created = store.leftCreationNetwork(record.id()) ? null : find(modeOf(spec));
        var joins = new ArrayList<NetworkConnection>();
        if (created != null && created.hasBridge()) {
            joins.add(new NetworkConnection(created.id(), request.ipv4Address(), request.aliases()));
        }
        if (created == null || created.hasBridge()) {
            joins.addAll(store.connections(record.id()));
        }
        if (joins.isEmpty()) {
            return EtcFiles.writeWithoutBridge(
                    directory,
                    spec.hostname(),
                    created != null && created.name().equals("host"),
                    spec.host().networking(),
                    hostResolvConf,
                    Path.of("/etc/hosts"),
                    defaults.enabled() ? defaults.bip().address().getHostAddress() : null);
        }
        release(record.id());
        reaper.awaitContainer(record.id()); // its veths keep their names from one start to the next
        try {
            // Each address is written down with the endpoint that holds it as soon as it is
            // claimed, so that a failure further on releases it (releaseQuietly reads the file).
            var endpoints = new ArrayList<ContainerEndpoint>();
            for (NetworkConnection connection : joins) {
                store.writeEndpoints(record.id(), endpoints);
                endpoints.add(join(
                        record,
                        find(connection.networkId()),
                        connection.ipv4Address(),
                        connection.aliases(),
                        "eth" + endpoints.size()));
            }
            store.writeEndpoints(record.id(), endpoints);
            ContainerEndpoint first = publish(record, endpoints.getFirst(), portsToPublish(record, request));
            if (!first.ports().isEmpty()) {
                endpoints.set(0, first);
                store.writeEndpoints(record.id(), endpoints);
            }
            boolean embeddedDns = usesEmbeddedDns(endpoints);
            prepared.put(
                    record.id(),
                    new Prepared(List.copyOf(endpoints), embeddedDns ? upstreamServers(request, endpoints) : null));
            return EtcFiles.write(directory, spec.hostname(), endpoints, request, hostResolvConf, embeddedDns);
        } catch (RuntimeException e) {
            releaseQuietly(record.id(), e);
            throw e;
        }
    }

    /**
     * A container's endpoints as {@link #prepare} recorded them, which its {@link #connect} uses
     * without reading them back, and where its embedded DNS server forwards other names (null
     * without one).
     */
    private record Prepared(List<ContainerEndpoint> endpoints, List<InetSocketAddress> upstream) {}

    /**
     * Once the container's process exists (held before exec) in its own network namespace:
     * a veth pair, address and port rules per endpoint, the default route through the first,
     * and on a user network the embedded DNS server, listening before the program runs.
     */
    public synchronized void connect(String containerId, long pid) {
        try (var namespace = NetworkNamespace.ofPid(pid)) {
            connect(containerId, namespace);
        }
    }

    /** {@link #connect(String, long)} for the network namespace {@code container}. */
    public synchronized void connect(String containerId, NetworkNamespace container) {
        Prepared ready = prepared.remove(containerId);
        List<ContainerEndpoint> endpoints = ready != null ? ready.endpoints() : store.endpoints(containerId);
        List<InetSocketAddress> upstream = ready != null ? ready.upstream() : null;
        if (endpoints.isEmpty() && upstream == null) {
            return;
        }
        try (var inside = ContainerSockets.start(container, upstream != null)) {
            for (ContainerEndpoint endpoint : endpoints) {
                attach(endpoint, container, inside::route, endpoint == endpoints.getFirst());
            }
            if (upstream != null) {
                dns.start(containerId, inside.takeDns(), upstream);
            }
        }
    }

    /**
     * After a daemon restart, the embedded DNS server of container {@code record}, which still
     * runs as process {@code pid}: its sockets went with the previous daemon.
     */
    public synchronized void resumeNameServer(ContainerRecord record, long pid) {
        List<ContainerEndpoint> endpoints = store.endpoints(record.id());
        if (!usesEmbeddedDns(endpoints)) {
            return;
        }
        try (var namespace = NetworkNamespace.ofPid(pid)) {
            dns.start(
                    record.id(),
                    namespace,
                    upstreamServers(record.specOrDefault().host().networking(), endpoints));
        }
    }

    /**
     * docker's embedded DNS serves a container with an endpoint on a user network; one on the
     * default bridge alone keeps the host's name servers.
     */
    private static boolean usesEmbeddedDns(List<ContainerEndpoint> endpoints) {
        return endpoints.stream().anyMatch(e -> !e.networkName().equals(NetworkRecord.DEFAULT_BRIDGE));
    }

    /**
     * A running container whose networks changed: the embedded DNS server starts when it
     * gained its first user network and stops when it lost its last, and its resolv.conf in
     * {@code directory} follows (moby rebuilds it at connect and disconnect).
     */
    private void followNameServer(ContainerRecord record, List<ContainerEndpoint> endpoints, long pid, Path directory) {
        boolean wanted = usesEmbeddedDns(endpoints);
        if (wanted == dns.serves(record.id())) {
            return;
        }
        NetworkRequest request = record.specOrDefault().host().networking();
        if (wanted) {
            try (var namespace = NetworkNamespace.ofPid(pid)) {
                dns.start(record.id(), namespace, upstreamServers(request, endpoints));
            }
        } else {
            dns.stop(record.id());
        }
        EtcFiles.writeResolvConf(directory, request, hostResolvConf, wanted);
    }

    /**
     * Where the embedded server forwards other names: the host's or {@code --dns} servers,
     * none if every network of the container is internal, whose containers must not reach out
     * through the daemon either (docker's proxyDNS off): their other names fail.
     */
    private List<InetSocketAddress> upstreamServers(NetworkRequest request, List<ContainerEndpoint> endpoints) {
        boolean anyExternal =
                endpoints.stream().anyMatch(e -> !find(e.networkId()).internal());
        return anyExternal ? EtcFiles.upstreamServers(request, hostResolvConf) : List.of();
    }

    /**
     * {@code docker network connect}: {@code network} is added to the container's networks;
     * if it runs ({@code pid} above 0), it joins at once, through a new interface without
     * the default route, its new address with its host name is added to its /etc/hosts in
     * {@code directory} (as moby does), and its first user network starts its embedded DNS
     * server (its resolv.conf rewritten). A container on {@code none} or {@code host}
     * cannot join another network. A stopped container joins it at its next start (moby's
     * ConnectToNetwork changes a stopped container's settings alone); connected to it already,
     * it stays as it is, and the connect succeeds, as moby's does (its updateNetworkSettings),
     * after the one check that comes first there: {@code --ip} on a network without a user
     * subnet.
     */
    public synchronized void connectContainer(
            ContainerRecord record,
            String networkName,
            String ipv4Address,
            List<String> aliases,
            long pid,
            Path directory) {
        String mode = modeOf(record.specOrDefault());
        NetworkRecord network = find(networkName);
        if (ipv4Address != null && !ipv4Address.isEmpty() && network.subnetFromPool()) {
            throw new IllegalArgumentException(USER_SUBNETS_ONLY);
        }
        if (SharedNetwork.isShared(mode)) {
            throw new IllegalArgumentException(SHARED_NAMESPACE);
        }
        if (network.name().equals("host") && !mode.equals("host")) {
            throw new IllegalArgumentException(
                    "cannot connect container to host network - container must be created in host network mode");
        }
        if (connectedTo(record, network)) {
            if (pid <= 0) {
                // moby's updateNetworkSettings for a stopped container: "Avoid duplicate
                // config", success and no change (dockerd 20.10 keeps the first --ip and aliases).
                return;
            }
            throw new ForbiddenException(
                    "endpoint with name " + record.name() + " already exists in network " + network.name());
        }
        if (mode.equals("host")) {
            throw new IllegalArgumentException(SHARED_NAMESPACE);
        }
        boolean left = store.leftCreationNetwork(record.id());
        if (!network.hasBridge() || (!left && !find(mode).hasBridge())) {
            throw new IllegalArgumentException(
                    "container cannot be connected to multiple networks with one of the networks in private (none) mode");
        }
        if (ipv4Address != null
                && !ipv4Address.isEmpty()
                && !network.subnetPrefix().contains(IpPrefix.literal("--ip", ipv4Address))) {
            throw new IllegalArgumentException(
                    "--ip " + ipv4Address + ": not in subnet " + network.subnet() + " of network " + network.name());
        }
        var connection = new NetworkConnection(network.id(), ipv4Address, aliases);
        var connections = new ArrayList<>(store.connections(record.id()));
        connections.add(connection);
        store.writeConnections(record.id(), connections);
        if (pid <= 0) {
            return;
        }
        var endpoints = new ArrayList<>(store.endpoints(record.id()));
        ContainerEndpoint endpoint;
        try {
            endpoint = join(record, network, connection.ipv4Address(), connection.aliases(), freeInterface(endpoints));
        } catch (RuntimeException e) {
            connections.remove(connection);
            store.writeConnections(record.id(), connections);
            throw e;
        }
        endpoints.add(endpoint);
        store.writeEndpoints(record.id(), endpoints);
        try {
            try (var namespace = NetworkNamespace.ofPid(pid);
                    var inside = ContainerSockets.start(namespace, false)) {
                attach(endpoint, namespace, inside::route, false);
            }
            EtcFiles.addHostsEntry(directory, record.specOrDefault().hostname(), endpoint);
            followNameServer(record, endpoints, pid, directory);
        } catch (RuntimeException e) {
            disconnectQuietly(record, network, pid, directory, e);
            throw e;
        }
    }

    /**
     * {@code docker network disconnect}: the network leaves the container's networks, the one
     * it was created on included (it starts without it from then on, with no network at all
     * if it was the last: loopback alone, as moby's), and if the container runs, its
     * interface, address, rules and /etc/hosts line on it go, and with its last user network
     * its embedded DNS server (resolv.conf in {@code directory} back to the name servers).
     * A stopped container holds no address (they are claimed at each start), so none is
     * released; its {@code --ip} on that network goes with the network, as moby forgets the
     * endpoint's settings (daemon/container_operations.go DisconnectFromNetwork).
     */
    public synchronized void disconnectContainer(ContainerRecord record, String networkName, long pid, Path directory) {
        NetworkRecord network = find(networkName);
        if (!connectedTo(record, network)) {
            throw pid > 0
                    ? new ForbiddenException(
                            "container " + record.id() + " is not connected to network " + network.name())
                    : new IllegalStateException(
                            "container " + record.id() + " is not connected to the network " + network.name());
        }
        if (network.name().equals("host")) {
            throw new IllegalArgumentException(
                    "cannot disconnect container from host network - container was created in host network mode");
        }
        var endpoints = new ArrayList<>(store.endpoints(record.id()));
        var connections = new ArrayList<>(store.connections(record.id()));
        boolean running = endpoints.removeIf(e -> e.networkId().equals(network.id()));
        boolean added = connections.removeIf(c -> c.networkId().equals(network.id()));
        if (!added) {
            store.writeLeftCreationNetwork(record.id(), true);
        }
        if (running) {
            networking().detach(network.bridgeNetwork(), record.id());
            store.endpoints(record.id()).stream()
                    .filter(e -> e.networkId().equals(network.id()))
                    .forEach(e -> {
                        addresses.release(network, e.ipAddress(), record.id());
                        EtcFiles.removeHostsEntry(
                                directory, record.specOrDefault().hostname(), e);
                    });
        }
        store.writeEndpoints(record.id(), endpoints);
        store.writeConnections(record.id(), connections);
        if (running) {
            followNameServer(record, endpoints, pid, directory);
        }
    }

    /** A removed container: its endpoints released and the networks it was connected to forgotten. */
    public synchronized void forget(String containerId) {
        release(containerId);
        store.writeConnections(containerId, List.of());
        store.writeLeftCreationNetwork(containerId, false);
    }

    /**
     * When the container ends or is removed: its port rules and proxies now, then in the
     * background its veth (already gone if the kernel destroyed its namespace) and, once the
     * veth is gone, its address ({@link VethReaper}). Does nothing for a container without an
     * endpoint.
     */
    public synchronized void release(String containerId) {
        dns.stop(containerId);
        prepared.remove(containerId);
        List<PortProxy> held = proxies.remove(containerId);
        if (held != null) {
            held.forEach(PortProxy::close);
        }
        for (ContainerEndpoint endpoint : store.endpoints(containerId)) {
            store.list().stream()
                    .filter(n -> n.id().equals(endpoint.networkId()))
                    .findFirst()
                    .ifPresent(network -> {
                        if (!endpoint.ports().isEmpty()) {
                            // Only published ports have rules of the container's own (attach adds
                            // them), so a container without any spares a dump of the table.
                            networking().removePortRules(network.bridgeNetwork(), containerId);
                        }
                        reaper.reap(
                                network,
                                containerId,
                                () -> addresses.release(network, endpoint.ipAddress(), containerId));
                    });
        }
        store.writeEndpoints(containerId, List.of());
    }

    /**
     * At the daemon's start: the default network as the options say, the endpoints of
     * containers that no longer run forgotten, the host namespace made to hold exactly the
     * networks' bridges and rules and the running containers' veths and port rules (a crashed
     * daemon's leftovers go), and then every address no running container holds given back:
     * those of containers that ended while no daemon watched, and those whose veth a crashed
     * daemon's {@link VethReaper} had not yet deleted. Running containers (a live restore) get
     * their ports held again.
     */
    public synchronized void restore(Predicate<String> running) {
        var live = new ArrayList<ContainerEndpoint>();
        for (ContainerEndpoint endpoint : store.allEndpoints()) {
            if (running.test(endpoint.containerId())) {
                live.add(endpoint);
            } else {
                store.writeEndpoints(endpoint.containerId(), List.of());
            }
        }
        defaultNetworkAsConfigured(live);
        List<NetworkRecord> bridges =
                store.list().stream().filter(NetworkRecord::hasBridge).toList();
        if (bridges.isEmpty() && networking == null) {
            return; // no network was ever made here: leave netlink and nf_tables alone
        }
        var attachments = new ArrayList<Attachment>();
        for (ContainerEndpoint endpoint : live) {
            attachments.add(new Attachment(
                    find(endpoint.networkId()).bridgeNetwork(),
                    runtimeEndpoint(endpoint, endpoint.interfaceName().equals("eth0"))));
        }
        networking()
                .reconcile(bridges.stream().map(NetworkRecord::bridgeNetwork).toList(), attachments);
        for (NetworkRecord network : bridges) {
            addresses.keepOnly(
                    network,
                    live.stream()
                            .filter(e -> e.networkId().equals(network.id()))
                            .map(ContainerEndpoint::ipAddress)
                            .collect(Collectors.toSet()));
        }
        for (ContainerEndpoint endpoint : live) {
            var held = new ArrayList<PortProxy>();
            proxies.put(endpoint.containerId(), held);
            for (PublishedPort port : endpoint.ports()) {
                var target =
                        new InetSocketAddress(IpPrefix.literal("address", endpoint.ipAddress()), port.containerPort());
                try {
                    held.add(PortProxy.open(port.protocol(), port.hostIp(), port.hostPort(), target));
                } catch (RuntimeException taken) {
                    // Taken while no daemon held it: the DNAT rule still serves other addresses,
                    // and one port must not keep the daemon from starting.
                    System.err.println("canald: container " + endpoint.containerId() + ": port " + port.hostPort()
                            + " on 127.0.0.1 is not proxied: " + taken.getMessage());
                }
            }
        }
    }

    /** The {@code bridge} network's record as {@code --bridge} and {@code --bip} say: made, changed, or removed. */
    private void defaultNetworkAsConfigured(List<ContainerEndpoint> live) {
        var existing = store.list().stream()
                .filter(n -> n.name().equals(NetworkRecord.DEFAULT_BRIDGE))
                .findFirst();
        boolean inUse = existing.isPresent()
                && live.stream()
                        .anyMatch(e -> e.networkId().equals(existing.get().id()));
        if (!defaults.enabled()) {
            if (existing.isPresent() && !inUse) {
                networking().removeNetwork(existing.get().bridgeNetwork());
                addresses.forget(existing.get());
                store.remove(existing.get());
            }
            return;
        }
        var wanted = new NetworkRecord(
                existing.map(NetworkRecord::id).orElseGet(Networks::newId),
                NetworkRecord.DEFAULT_BRIDGE,
                "bridge",
                defaults.bridge(),
                defaults.bip().network().toString(),
                defaults.bip().address().getHostAddress(),
                null,
                false,
                Map.of(),
                existing.map(NetworkRecord::created)
                        .orElseGet(() -> Instant.now().toString()),
                false);
        if (existing.isEmpty() || (!inUse && !existing.get().equals(wanted))) {
            if (existing.isPresent()) {
                // The old bridge goes with its address and rules (reconcile makes the new one),
                // as dockerd re-addresses docker0 for a new --bip: no second address, no old route.
                networking().removeNetwork(existing.get().bridgeNetwork());
                addresses.forget(existing.get());
            }
            store.write(wanted);
        }
    }

    /** The ports {@code -p} names, and with {@code -P} every exposed port (the container's and the image's) on a free one. */
    private List<PortRequest> portsToPublish(ContainerRecord record, NetworkRequest request) {
        var ports = new ArrayList<>(request.ports());
        if (request.publishAll()) {
            Set<String> exposed = new LinkedHashSet<>(request.exposedPorts());
            images.find(record.imageId())
                    .map(image -> image.config().runConfig())
                    .filter(Objects::nonNull)
                    .map(run -> run.exposedPorts())
                    .filter(Objects::nonNull)
                    .ifPresent(map -> exposed.addAll(map.keySet()));
            for (String key : exposed) {
                PortRequest port = PortRequest.parse(key, "", "");
                if (ports.stream().noneMatch(p -> p.key().equals(port.key()))) {
                    ports.add(port);
                }
            }
        }
        return ports;
    }

    /** Claims an address on {@code network} and returns the endpoint, without ports. */
    private ContainerEndpoint join(
            ContainerRecord record, NetworkRecord network, String wanted, List<String> aliases, String interfaceName) {
        // Asked before the claim: a deletion that ends between a refused claim and the question
        // would have given its address back unseen. None can begin meanwhile: reap runs under
        // this object's lock, which the callers hold.
        boolean deleting = reaper.pendingOn(network.id());
        IpPrefix address;
        try {
            address = addresses.claim(network, record.id(), wanted);
        } catch (ConflictException taken) {
            if (!deleting) {
                throw taken;
            }
            // Held for an ended container until its veth is gone, then free: wait for that.
            reaper.awaitNetwork(network.id());
            address = addresses.claim(network, record.id(), wanted);
        }
        return new ContainerEndpoint(
                record.id(),
                record.name(),
                network.id(),
                network.name(),
                newId(),
                address.toString(),
                network.gateway(),
                macAddress(address),
                aliases,
                List.of(),
                interfaceName,
                record.specOrDefault().hostname());
    }

    /** Holds each of {@code ports} on the host and returns {@code endpoint} with them, host ports chosen. */
    private ContainerEndpoint publish(ContainerRecord record, ContainerEndpoint endpoint, List<PortRequest> ports) {
        var published = new ArrayList<PublishedPort>();
        var held = new ArrayList<PortProxy>();
        proxies.put(record.id(), held);
        for (PortRequest port : ports) {
            var target = new InetSocketAddress(IpPrefix.literal("address", endpoint.ipAddress()), port.containerPort());
            PortProxy proxy = PortProxy.open(port.protocol(), port.hostIp(), port.hostPort(), target);
            held.add(proxy);
            published.add(new PublishedPort(port.protocol(), port.hostIp(), proxy.port(), port.containerPort()));
        }
        return new ContainerEndpoint(
                endpoint.containerId(),
                endpoint.containerName(),
                endpoint.networkId(),
                endpoint.networkName(),
                endpoint.endpointId(),
                endpoint.address(),
                endpoint.gateway(),
                endpoint.macAddress(),
                endpoint.aliases(),
                published,
                endpoint.interfaceName(),
                endpoint.hostname());
    }

    /** {@code endpoint}'s veth, address and rules, configured inside through {@code route}'s socket of {@code container}. */
    private void attach(
            ContainerEndpoint endpoint,
            NetworkNamespace container,
            Supplier<NetlinkSocket> route,
            boolean defaultRoute) {
        NetworkRecord network = find(endpoint.networkId());
        networking().attach(network.bridgeNetwork(), runtimeEndpoint(endpoint, defaultRoute), container, route);
    }

    /** Whether the container is on {@code network}: created on it and not disconnected, connected to it, or running on it. */
    private boolean connectedTo(ContainerRecord record, NetworkRecord network) {
        return (!store.leftCreationNetwork(record.id())
                        && find(modeOf(record.specOrDefault())).id().equals(network.id()))
                || store.connections(record.id()).stream()
                        .anyMatch(c -> c.networkId().equals(network.id()))
                || store.endpoints(record.id()).stream()
                        .anyMatch(e -> e.networkId().equals(network.id()));
    }

    /** The first {@code ethN} no endpoint of the container uses. */
    private static String freeInterface(List<ContainerEndpoint> endpoints) {
        for (int n = 0; ; n++) {
            String name = "eth" + n;
            if (endpoints.stream().noneMatch(e -> e.interfaceName().equals(name))) {
                return name;
            }
        }
    }

    private void disconnectQuietly(
            ContainerRecord record, NetworkRecord network, long pid, Path directory, RuntimeException failure) {
        try {
            disconnectContainer(record, network.id(), pid, directory);
        } catch (RuntimeException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    private static Endpoint runtimeEndpoint(ContainerEndpoint endpoint, boolean defaultRoute) {
        return new Endpoint(
                endpoint.containerId(),
                endpoint.interfaceName(),
                List.of(IpPrefix.parse("address", endpoint.address())),
                defaultRoute,
                endpoint.ports().stream().map(PublishedPort::mapping).toList());
    }

    private BridgeNetworking networking() {
        if (networking == null) {
            networking = BridgeNetworking.in(host.get());
        }
        return networking;
    }

    /** A subnet given with {@code --subnet}: IPv4, and without host bits, as docker insists. */
    private static IpPrefix subnet(String text) {
        IpPrefix subnet = IpPrefix.parse("--subnet", text);
        if (subnet.isIpv6()) {
            throw new IllegalArgumentException("--subnet " + text + ": IPv6 networks are not supported yet");
        }
        if (!subnet.equals(subnet.network())) {
            throw new IllegalArgumentException("invalid subnet " + text + " : it should be " + subnet.network());
        }
        if (subnet.length() > 30) {
            throw new IllegalArgumentException(
                    "--subnet " + text + ": too small for a gateway and a container (/30 at most)");
        }
        return subnet;
    }

    private IpPrefix freeSubnet() {
        List<IpPrefix> taken = store.list().stream()
                .filter(NetworkRecord::hasBridge)
                .map(NetworkRecord::subnetPrefix)
                .toList();
        return defaults.pools()
                .firstFree(taken)
                .orElseThrow(
                        () -> new ForbiddenException(
                                "could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network"));
    }

    private void checkNoOverlap(IpPrefix subnet) {
        for (NetworkRecord network : store.list()) {
            if (network.hasBridge() && overlap(network.subnetPrefix(), subnet)) {
                throw new ForbiddenException(
                        "invalid pool request: Pool overlaps with other one on this address space");
            }
        }
    }

    /** Two subnets overlap when the wider one holds the other's first address. */
    private static boolean overlap(IpPrefix a, IpPrefix b) {
        return a.length() <= b.length() ? a.contains(b.address()) : b.contains(a.address());
    }

    /** docker's MAC for a container: 02:42 and the four bytes of its IPv4 address, as the runtime sets it. */
    private static String macAddress(IpPrefix address) {
        byte[] ip = address.address().getAddress();
        return String.format("02:42:%02x:%02x:%02x:%02x", ip[0], ip[1], ip[2], ip[3]);
    }

    /** An endpoint with the network's first address, to check {@code --add-host} lines at create. */
    private static ContainerEndpoint exampleEndpoint(NetworkRecord network) {
        return new ContainerEndpoint(
                "check",
                "check",
                network.id(),
                network.name(),
                "",
                network.gatewayPrefix().toString(),
                network.gateway(),
                "",
                List.of(),
                List.of(),
                "eth0",
                null);
    }

    /** {@code host} and {@code none}: no bridge, ids derived from the names so they stay the same. */
    private static NetworkRecord predefined(String name, String driver) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("canal network " + name).getBytes(StandardCharsets.UTF_8));
            return new NetworkRecord(
                    HexFormat.of().formatHex(digest),
                    name,
                    driver,
                    null,
                    null,
                    null,
                    null,
                    false,
                    Map.of(),
                    Instant.EPOCH.toString(),
                    false);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private void discard(NetworkRecord network, RuntimeException failure) {
        try {
            networking().removeNetwork(network.bridgeNetwork());
        } catch (RuntimeException cleanup) {
            failure.addSuppressed(cleanup);
        }
        store.remove(network);
    }

    private void releaseQuietly(String containerId, RuntimeException failure) {
        try {
            release(containerId);
        } catch (RuntimeException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    @Override
    public synchronized void close() {
        dns.close();
        proxies.values().forEach(held -> held.forEach(PortProxy::close));
        proxies.clear();
        reaper.close(); // the veths still being deleted go before the daemon does
        if (networking != null) {
            networking.close();
        }
    }
}
