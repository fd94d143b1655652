package dev.canal.engine.net;

import java.util.List;

/**
 * What a container asks of its network, docker's {@code HostConfig} and
 * {@code NetworkingConfig} fields beside {@code NetworkMode}.
 *
 * @param ipv4Address  {@code --ip}: a fixed address on a user network; null for one the engine picks
 * @param aliases      {@code --network-alias}: more names for the container on its network
 * @param ports        {@code -p}: ports to publish
 * @param publishAll   {@code -P}: publish every exposed port on a free host port
 * @param exposedPorts {@code --expose} and the image's {@code EXPOSE}, {@code 80/tcp}
 * @param extraHosts   {@code --add-host NAME:IP} lines for /etc/hosts ({@code host-gateway}: the network's gateway)
 * @param dns          {@code --dns}: name servers for /etc/resolv.conf instead of the host's
 * @param dnsSearch    {@code --dns-search}: search domains
 * @param dnsOptions   {@code --dns-option}: resolver options
 */
public record NetworkRequest(
        String ipv4Address,
        List<String> aliases,
        List<PortRequest> ports,
        boolean publishAll,
        List<String> exposedPorts,
        List<String> extraHosts,
        List<String> dns,
        List<String> dnsSearch,
        List<String> dnsOptions) {

    /** Nothing asked: the engine's choices and the host's resolver. */
    public static final NetworkRequest NONE = new NetworkRequest(
            null, List.of(), List.of(), false, List.of(), List.of(), List.of(), List.of(), List.of());

    public NetworkRequest {
        ipv4Address = ipv4Address == null || ipv4Address.isEmpty() ? null : ipv4Address;
        aliases = copy(aliases);
        ports = ports == null ? List.of() : List.copyOf(ports);
        exposedPorts = copy(exposedPorts);
        extraHosts = copy(extraHosts);
        dns = copy(dns);
        dnsSearch = copy(dnsSearch);
        dnsOptions = copy(dnsOptions);
    }

    private static List<String> copy(List<String> values) {
        return values == null ? List.of() : List.copyOf(values);
    }
}
