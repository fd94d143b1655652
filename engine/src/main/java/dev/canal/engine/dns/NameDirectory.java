package dev.canal.engine.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/** The names a container can resolve through the embedded DNS server: those of the containers on its networks. */
public interface NameDirectory {

    /**
     * The addresses {@code name} (lower case, no trailing dot) has on the networks of container
     * {@code asking}; empty if no container there answers to it, so the query goes upstream.
     */
    Optional<List<InetAddress>> addressesOf(String asking, String name);

    /** The name of the container that holds {@code address} on a network of {@code asking}, for PTR. */
    Optional<String> nameOf(String asking, InetAddress address);
}
