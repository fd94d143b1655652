package dev.canal.engine.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What the embedded server answers one container, as docker's (libnetwork resolver.go
 * serveDNS): A and AAAA queries for the names of the containers on its networks from the
 * {@link NameDirectory} (addresses in random order, a cheap round robin between containers
 * sharing an alias; a name that exists without an address of the family gets NOERROR and no
 * answer, not a forward), MX for such a name an empty NOERROR (RFC 5321's implicit MX), PTR for
 * their addresses; everything else goes to the upstream resolvers, and SERVFAIL if none answers.
 */
final class QueryHandler {

    /** RFC 1035 section 3.5: the reverse domain of IPv4 addresses. */
    private static final String REVERSE_IPV4 = ".in-addr.arpa";

    private static final int STANDARD_QUERY = 0;

    private final String container;
    private final NameDirectory directory;
    private final UpstreamResolvers upstream;

    QueryHandler(String container, NameDirectory directory, UpstreamResolvers upstream) {
        this.container = container;
        this.directory = directory;
        this.upstream = upstream;
    }

    /**
     * The reply to {@code message}, which came over TCP if {@code overTcp} (the reply may then
     * be as large as TCP allows) else over UDP; null for a message not worth a reply (one
     * without even an id).
     */
    byte[] answer(byte[] message, boolean overTcp) {
        DnsQuery query;
        try {
            query = DnsQuery.parse(message);
        } catch (IllegalArgumentException malformed) {
            int id = DnsQuery.idOf(message);
            return id < 0 ? null : DnsReply.formatError(id);
        }
        int maxSize = overTcp ? DnsReply.TCP_SIZE : query.udpPayload();
        if (query.opcode() == STANDARD_QUERY) {
            byte[] local = local(query, maxSize);
            if (local != null) {
                return local;
            }
        }
        byte[] forwarded = upstream.exchange(message, overTcp);
        return forwarded != null ? forwarded : DnsReply.empty(query, DnsReply.SERVER_FAILURE);
    }

    /** The reply from the container's networks, or null when the name is none of theirs. */
    private byte[] local(DnsQuery query, int maxSize) {
        return switch (query.type()) {
            case DnsQuery.A, DnsQuery.AAAA, DnsQuery.MX -> {
                Optional<List<InetAddress>> found = directory.addressesOf(container, query.name());
                if (found.isEmpty()) {
                    yield null;
                }
                if (query.type() == DnsQuery.MX) {
                    yield DnsReply.empty(query, DnsReply.NO_ERROR);
                }
                var shuffled = new ArrayList<>(found.get());
                Collections.shuffle(shuffled);
                yield DnsReply.addresses(query, shuffled, maxSize);
            }
            case DnsQuery.PTR ->
                reverseIpv4(query.name())
                        .flatMap(address -> directory.nameOf(container, address))
                        .map(name -> DnsReply.pointer(query, name, maxSize))
                        .orElse(null);
            default -> null;
        };
    }

    /** {@code 2.0.201.10.in-addr.arpa} is 10.201.0.2; anything else is not a reverse IPv4 name. */
    static Optional<InetAddress> reverseIpv4(String name) {
        if (!name.endsWith(REVERSE_IPV4)) {
            return Optional.empty();
        }
        String[] octets =
                name.substring(0, name.length() - REVERSE_IPV4.length()).split("\\.");
        if (octets.length != 4) {
            return Optional.empty();
        }
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!octets[i].matches("[0-9]{1,3}") || Integer.parseInt(octets[i]) > 255) {
                return Optional.empty();
            }
            address[3 - i] = (byte) Integer.parseInt(octets[i]);
        }
        try {
            return Optional.of(InetAddress.getByAddress(address));
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
