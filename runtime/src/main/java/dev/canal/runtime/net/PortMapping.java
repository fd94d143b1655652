package dev.canal.runtime.net;

import java.net.InetAddress;

/**
 * A published port, docker's {@code -p [HOSTIP:]HOSTPORT:CONTAINERPORT[/PROTOCOL]}.
 *
 * @param protocol      {@code tcp} or {@code udp}
 * @param hostAddress   the host address it is reachable on; null for every address
 * @param hostPort      the host's port, 1 to 65535
 * @param containerPort the container's port, 1 to 65535
 */
public record PortMapping(String protocol, InetAddress hostAddress, int hostPort, int containerPort) {

    public PortMapping {
        NftMatches.protocolNumber(protocol);
        checkPort("host port", hostPort);
        checkPort("container port", containerPort);
    }

    private static void checkPort(String what, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + ": must be 1 to 65535, got " + port);
        }
    }

    @Override
    public String toString() {
        return protocol + " " + (hostAddress == null ? "*" : hostAddress.getHostAddress()) + ":" + hostPort + "->"
                + containerPort;
    }
}
