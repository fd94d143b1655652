package dev.canal.engine.net;

import dev.canal.runtime.net.IpPrefix;
import java.util.Locale;

/**
 * One port a container asks to publish, docker's {@code -p [IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL]}
 * as the API carries it: {@code "80/tcp": [{"HostIp": "", "HostPort": "8080"}]}.
 *
 * @param protocol      {@code tcp} or {@code udp}
 * @param containerPort the container's port
 * @param hostIp        the host address it listens on; empty for every address
 * @param hostPort      the host's port; 0 for a free one the engine picks ({@code -p 80}, {@code -P})
 */
public record PortRequest(String protocol, int containerPort, String hostIp, int hostPort) {

    public PortRequest {
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("port " + containerPort + "/" + protocol + ": use tcp or udp");
        }
        checkPort("container port", containerPort);
        if (hostPort != 0) {
            checkPort("host port", hostPort);
        }
        hostIp = hostIp == null ? "" : hostIp;
        if (!hostIp.isEmpty()) {
            IpPrefix.literal("host address of port " + containerPort, hostIp);
        }
    }

    /**
     * Parses docker's port key {@code 80/tcp} (the protocol defaults to tcp) with a binding's
     * {@code HostIp} and {@code HostPort} (empty: any free port).
     */
    public static PortRequest parse(String key, String hostIp, String hostPort) {
        int slash = key.indexOf('/');
        String protocol = slash < 0 ? "tcp" : key.substring(slash + 1).toLowerCase(Locale.ROOT);
        int containerPort = number("container port " + key, slash < 0 ? key : key.substring(0, slash));
        int host = hostPort == null || hostPort.isEmpty() ? 0 : number("host port " + hostPort, hostPort);
        return new PortRequest(protocol, containerPort, hostIp, host);
    }

    /** docker's key for the container's side: {@code 80/tcp}. */
    public String key() {
        return containerPort + "/" + protocol;
    }

    private static int number(String what, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": not a port number");
        }
    }

    private static void checkPort(String what, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + ": must be 1 to 65535, got " + port);
        }
    }
}
