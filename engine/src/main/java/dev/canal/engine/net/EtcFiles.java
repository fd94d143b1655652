package dev.canal.engine.net;

import dev.canal.engine.Volume;
import dev.canal.engine.dns.EmbeddedDns;
import dev.canal.runtime.net.IpPrefix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A container's /etc/hostname, /etc/hosts and /etc/resolv.conf, as docker manages them: files
 * in the container's directory on the host, bind-mounted over the image's (so an image's own
 * files are never changed, and the engine can rewrite them).
 */
final class EtcFiles {

    /** docker's lines for the loopback names (libnetwork etchosts.go). */
    private static final String LOCAL_NAMES = """
            127.0.0.1	localhost
            ::1	localhost ip6-localhost ip6-loopback
            fe00::	ip6-localnet
            ff00::	ip6-mcastprefix
            ff02::1	ip6-allnodes
            ff02::2	ip6-allrouters
            """;

    /** docker's name servers when the host has none a container can reach (libnetwork resolvconf). */
    private static final List<String> PUBLIC_NAME_SERVERS = List.of("8.8.8.8", "8.8.4.4");

    private EtcFiles() {}

    /** The port name servers listen on (RFC 1035 section 4.2); resolv.conf(5) has no way to name another. */
    private static final int DNS_PORT = 53;

    /**
     * Writes the three files into {@code directory} for a container called {@code hostname}
     * with {@code endpoints} (the first its own network's, then those {@code docker network
     * connect} added, each a {@link #hostsEntry} line), and returns their bind mounts. With
     * {@code embeddedDns} (a user network) resolv.conf names the embedded DNS server instead of
     * the name servers.
     */
    static List<Volume> write(
            Path directory,
            String hostname,
            List<ContainerEndpoint> endpoints,
            NetworkRequest request,
            Path hostResolvConf,
            boolean embeddedDns) {
        Path hostnameFile = directory.resolve("hostname");
        Path hostsFile = directory.resolve("hosts");
        // Readable by the container's users, as docker's (0644). Written in place: the
        // container is not running yet, so nobody reads half a file.
        writeReadable(hostnameFile, hostname + "\n");
        var hosts = new StringBuilder(hosts(hostname, endpoints.getFirst(), request));
        endpoints.stream().skip(1).forEach(connected -> hosts.append(hostsEntry(hostname, connected)));
        writeReadable(hostsFile, hosts.toString());
        writeResolvConf(directory, request, hostResolvConf, embeddedDns);
        return mounts(directory);
    }

    /**
     * The three files of a container on {@code none} or {@code host}, which docker writes too
     * (moby libnetwork sandbox_dns_unix.go, buildHostsFile and setupDNS): on {@code none},
     * hosts(5) has the loopback names and {@code --add-host} but no address of its own, and
     * resolv.conf is as on the default bridge; on {@code host} the container is on the host's
     * network, so it gets the host's /etc/hosts as it is (unless {@code --add-host} asks for
     * lines) and the host's resolv.conf as it is (unless {@code --dns} options are given), its
     * loopback name servers included. {@code hostGateway} is what {@code host-gateway} means.
     */
    static List<Volume> writeWithoutBridge(
            Path directory,
            String hostname,
            boolean hostNetwork,
            NetworkRequest request,
            Path hostResolvConf,
            Path hostHosts,
            String hostGateway) {
        writeReadable(directory.resolve("hostname"), hostname + "\n");
        String hosts = hostNetwork && request.extraHosts().isEmpty()
                ? readOrEmpty(hostHosts)
                : LOCAL_NAMES + extraHosts(request, hostGateway);
        writeReadable(directory.resolve("hosts"), hosts);
        boolean asTheHosts = hostNetwork
                && request.dns().isEmpty()
                && request.dnsSearch().isEmpty()
                && request.dnsOptions().isEmpty();
        String hostResolv = readOrEmpty(hostResolvConf);
        writeReadable(directory.resolve("resolv.conf"), asTheHosts ? hostResolv : resolvConf(request, hostResolv));
        return mounts(directory);
    }

    /** The bind mounts of the three files written in {@code directory}. */
    private static List<Volume> mounts(Path directory) {
        return List.of(
                new Volume(directory.resolve("hostname"), "/etc/hostname", false),
                new Volume(directory.resolve("hosts"), "/etc/hosts", false),
                new Volume(directory.resolve("resolv.conf"), "/etc/resolv.conf", false));
    }

    /**
     * Writes {@code directory}/resolv.conf: the embedded DNS server's with {@code embeddedDns},
     * else the name servers. In place (truncated, same inode), so that a running container's
     * bind mount of it sees the new text, as docker rewrites it at network connect.
     */
    static void writeResolvConf(Path directory, NetworkRequest request, Path hostResolvConf, boolean embeddedDns) {
        String host = readOrEmpty(hostResolvConf);
        writeReadable(
                directory.resolve("resolv.conf"),
                embeddedDns ? embeddedResolvConf(request, host) : resolvConf(request, host));
    }

    /** The bind mounts of those of the three files {@code directory} holds, for a container that shares them. */
    static List<Volume> existing(Path directory) {
        return List.of("hostname", "hosts", "resolv.conf").stream()
                .filter(name -> Files.isRegularFile(directory.resolve(name)))
                .map(name -> new Volume(directory.resolve(name), "/etc/" + name, false))
                .toList();
    }

    /**
     * hosts(5): loopback names, the container's own {@link #hostsEntry} (its address and host
     * names; its {@code --network-alias}es are the embedded DNS server's, as moby's
     * {@code buildHostsFile} leaves them out), then {@code --add-host}.
     */
    static String hosts(String hostname, ContainerEndpoint endpoint, NetworkRequest request) {
        return LOCAL_NAMES + hostsEntry(hostname, endpoint) + extraHosts(request, endpoint.gateway());
    }

    /** The hosts(5) lines of {@code --add-host NAME:IP}, {@code host-gateway} standing for {@code hostGateway}. */
    private static String extraHosts(NetworkRequest request, String hostGateway) {
        var text = new StringBuilder();
        for (String extra : request.extraHosts()) {
            int colon = extra.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--add-host " + extra + ": expected NAME:IP");
            }
            String address = extra.substring(colon + 1);
            if (address.equals("host-gateway")) {
                if (hostGateway == null) { // dockerd's words without a default bridge
                    throw new IllegalArgumentException("unable to derive the IP value for host-gateway");
                }
                address = hostGateway;
            }
            IpPrefix.literal("--add-host " + extra, address);
            text.append(address).append('\t').append(extra, 0, colon).append('\n');
        }
        return text.toString();
    }

    /**
     * The hosts(5) line of a network the container was connected to, as moby's
     * {@code updateHostsFile} writes one per endpoint (libnetwork sandbox_dns_unix.go): the
     * address, then the {@link #hostNames}.
     */
    static String hostsEntry(String hostname, ContainerEndpoint endpoint) {
        return endpoint.ipAddress() + "\t" + String.join(" ", hostNames(hostname)) + "\n";
    }

    /** The host name and, for a name with dots (an FQDN), its first label, as moby lists them. */
    private static List<String> hostNames(String hostname) {
        int dot = hostname.indexOf('.');
        return dot > 0 ? List.of(hostname, hostname.substring(0, dot)) : List.of(hostname);
    }

    /**
     * At {@code docker network connect} of a running container: its {@link #hostsEntry} for
     * the new network appended to {@code directory}/hosts, as moby's etchosts.Add does. In
     * place (O_APPEND, same inode), so that the container's bind mount of the file sees it.
     */
    static void addHostsEntry(Path directory, String hostname, ContainerEndpoint endpoint) {
        Path hostsFile = directory.resolve("hosts");
        try {
            Files.writeString(hostsFile, hostsEntry(hostname, endpoint), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("add " + endpoint.networkName() + "'s address to " + hostsFile, e);
        }
    }

    /**
     * At {@code docker network disconnect} of a running container: the lines that are exactly
     * the network's {@link #hostsEntry} leave {@code directory}/hosts, as moby's etchosts.Delete
     * (a line the container changed stays). Rewritten in place, as {@link #addHostsEntry}.
     */
    static void removeHostsEntry(Path directory, String hostname, ContainerEndpoint endpoint) {
        Path hostsFile = directory.resolve("hosts");
        String entry = hostsEntry(hostname, endpoint).strip();
        try {
            String kept = Files.readString(hostsFile)
                    .lines()
                    .filter(line -> !line.equals(entry))
                    .map(line -> line + "\n")
                    .collect(Collectors.joining());
            Files.writeString(hostsFile, kept);
        } catch (NoSuchFileException none) {
            // a container that never started on a bridge network has no hosts file to change
        } catch (IOException e) {
            throw new UncheckedIOException("remove " + endpoint.networkName() + "'s address from " + hostsFile, e);
        }
    }

    /**
     * resolv.conf(5): {@code --dns}, {@code --dns-search} and {@code --dns-option} where given,
     * else the host's lines. Name servers on the host's loopback are unreachable from the
     * container's own namespace, so they are dropped, as docker drops them; with none left,
     * docker's public ones.
     */
    static String resolvConf(NetworkRequest request, String host) {
        List<String> hostServers = values(host, "nameserver").stream()
                .filter(server -> !server.startsWith("127.") && !server.equals("::1"))
                .toList();
        List<String> servers =
                !request.dns().isEmpty() ? request.dns() : hostServers.isEmpty() ? PUBLIC_NAME_SERVERS : hostServers;
        servers.forEach(server -> IpPrefix.literal("--dns", server));
        var text = new StringBuilder();
        servers.forEach(server -> text.append("nameserver ").append(server).append('\n'));
        List<String> search = !request.dnsSearch().isEmpty() ? request.dnsSearch() : values(host, "search");
        if (!search.isEmpty()) {
            text.append("search ").append(String.join(" ", search)).append('\n');
        }
        List<String> options = !request.dnsOptions().isEmpty() ? request.dnsOptions() : values(host, "options");
        if (!options.isEmpty()) {
            text.append("options ").append(String.join(" ", options)).append('\n');
        }
        return text.toString();
    }

    /**
     * resolv.conf(5) of a container on a user network, as docker writes it: the embedded
     * server at 127.0.0.11 alone, the search domains, and {@code ndots:0} unless
     * {@code --dns-option} sets ndots (the host's own ndots is not kept), so that a name with
     * no dot, another container's, is asked as it is first. A comment says where other names go.
     */
    static String embeddedResolvConf(NetworkRequest request, String host) {
        var text = new StringBuilder("nameserver ")
                .append(EmbeddedDns.ADDRESS.getAddress().getHostAddress())
                .append('\n');
        List<String> search = !request.dnsSearch().isEmpty() ? request.dnsSearch() : values(host, "search");
        if (!search.isEmpty()) {
            text.append("search ").append(String.join(" ", search)).append('\n');
        }
        var options = new ArrayList<String>();
        if (!request.dnsOptions().isEmpty()) {
            options.addAll(request.dnsOptions());
        } else {
            values(host, "options").stream()
                    .filter(option -> !option.startsWith("ndots:"))
                    .forEach(options::add);
        }
        if (options.stream().noneMatch(option -> option.startsWith("ndots:"))) {
            options.addFirst("ndots:0");
        }
        text.append("options ").append(String.join(" ", options)).append('\n');
        List<String> upstream = upstreamServers(request, host).stream()
                .map(server -> server.getAddress().getHostAddress())
                .toList();
        text.append("\n# canal's embedded DNS server answers the names of the containers on this container's\n")
                .append("# networks and forwards other names to ")
                .append(String.join(" ", upstream))
                .append('\n');
        return text.toString();
    }

    /**
     * Where the embedded server forwards names that are not containers': {@code --dns}, else
     * every name server of the host, loopback ones included (the server asks them from the
     * daemon's namespace, as docker asks a host's loopback resolver), else docker's public ones.
     */
    static List<InetSocketAddress> upstreamServers(NetworkRequest request, String host) {
        List<String> hostServers = values(host, "nameserver");
        List<String> servers =
                !request.dns().isEmpty() ? request.dns() : hostServers.isEmpty() ? PUBLIC_NAME_SERVERS : hostServers;
        return servers.stream()
                .map(server -> new InetSocketAddress(IpPrefix.literal("nameserver", server), DNS_PORT))
                .toList();
    }

    /** {@link #upstreamServers(NetworkRequest, String)} with the host's resolv.conf read from {@code hostResolvConf}. */
    static List<InetSocketAddress> upstreamServers(NetworkRequest request, Path hostResolvConf) {
        return upstreamServers(request, readOrEmpty(hostResolvConf));
    }

    /** The words after {@code keyword} on every line that starts with it. */
    private static List<String> values(String resolvConf, String keyword) {
        return resolvConf
                .lines()
                .map(String::strip)
                .filter(line -> line.startsWith(keyword + " ") || line.startsWith(keyword + "\t"))
                .flatMap(
                        line -> List.of(line.substring(keyword.length()).strip().split("\\s+")).stream())
                .collect(Collectors.toList());
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException none) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
    }

    private static void writeReadable(Path file, String content) {
        try {
            Files.writeString(file, content);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException("write " + file, e);
        }
    }
}
