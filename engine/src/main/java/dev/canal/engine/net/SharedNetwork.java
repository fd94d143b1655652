package dev.canal.engine.net;

import dev.canal.engine.Volume;
import java.nio.file.Path;
import java.util.List;

/**
 * docker's {@code --network container:NAME}: the container joins the network namespace of
 * another, running one, with its interfaces, addresses, ports and embedded DNS server, and
 * shares its /etc/hostname, /etc/hosts and /etc/resolv.conf (moby daemon/container_operations.go
 * initializeNetworkingPaths). Whatever would configure a network of its own is refused at create
 * with docker's words (moby runconfig/hostconfig.go validateNetContainerMode).
 */
public final class SharedNetwork {

    private static final String PREFIX = "container:";

    /**
     * The running container whose network is shared: its process's network namespace file,
     * {@code /proc/PID/ns/net}, and its host name, which the sharing container takes too, as in
     * docker (in a UTS namespace of its own).
     */
    public record Donor(String networkNamespace, String hostname) {}

    private SharedNetwork() {}

    /** Whether {@code mode}, a {@code --network} value, shares another container's network. */
    public static boolean isShared(String mode) {
        return mode.startsWith(PREFIX) || mode.equals("container");
    }

    /** The name or id of the container whose network {@code mode} shares. */
    public static String donor(String mode) {
        return mode.startsWith(PREFIX) ? mode.substring(PREFIX.length()) : "";
    }

    /** Refuses, as docker, a {@code container:} mode without a name and options that would set up a network. */
    static void validate(String mode, String hostname, NetworkRequest request) {
        if (donor(mode).isEmpty()) {
            throw new IllegalArgumentException("invalid network mode: invalid container format container:<name|id>");
        }
        if (hostname != null && !hostname.isEmpty()) {
            throw new IllegalArgumentException("conflicting options: hostname and the network mode");
        }
        if (!request.dns().isEmpty()) {
            throw new IllegalArgumentException("conflicting options: dns and the network mode");
        }
        if (!request.extraHosts().isEmpty()) {
            throw new IllegalArgumentException("conflicting options: custom host-to-IP mapping and the network mode");
        }
        if (!request.ports().isEmpty() || request.publishAll()) {
            throw new IllegalArgumentException(
                    "conflicting options: port publishing and the container type network mode");
        }
        if (!request.exposedPorts().isEmpty()) {
            throw new IllegalArgumentException(
                    "conflicting options: port exposing and the container type network mode");
        }
    }

    /** The bind mounts of the /etc files the container in {@code donorDirectory} has (none on {@code none} or {@code host}). */
    public static List<Volume> etcFiles(Path donorDirectory) {
        return EtcFiles.existing(donorDirectory);
    }
}
