package dev.canal.engine.net;

import dev.canal.engine.ConflictException;
import dev.canal.runtime.net.IpPrefix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * IPAM: the addresses of each network held by containers, one file per address
 * ({@code networks/addresses/NETWORK-ID/172.18.0.2}, holding the container's id). A file is
 * made with {@code O_CREAT|O_EXCL} ({@link StandardOpenOption#CREATE_NEW}, open(2)): of two
 * claims of one address only one succeeds, and because the files outlive the daemon, an address
 * held before a restart is still held after it. So no address is ever handed to two containers
 * at once.
 */
final class AddressPool {

    private final Path root;

    AddressPool(Path root) {
        this.root = root;
    }

    /**
     * Claims an address of {@code network} for {@code containerId}: {@code wanted} (docker's
     * {@code --ip}) or the lowest free one of the allocation range, never the subnet's own
     * address, its broadcast address or the gateway. Returns it with the subnet's length.
     */
    IpPrefix claim(NetworkRecord network, String containerId, String wanted) {
        IpPrefix subnet = network.subnetPrefix();
        if (wanted != null) {
            InetAddress address = IpPrefix.literal("--ip", wanted);
            if (!subnet.contains(address) || !usable(network, address)) {
                throw new IllegalArgumentException("--ip " + wanted + ": no such address in network " + network.name()
                        + " (subnet " + subnet + ", gateway " + network.gateway() + ")");
            }
            if (!tryClaim(network, address, containerId)) {
                throw new ConflictException("Address already in use: " + wanted + " on network " + network.name());
            }
            return new IpPrefix(address, subnet.length());
        }
        IpPrefix range = network.allocationRange();
        long size = 1L << (32 - range.length());
        Set<String> held = held(network);
        // From the range's first address, as moby's IPAM: an --ip-range 10.1.0.128/25 hands out
        // 10.1.0.128 first; the subnet's own address, when the range starts there, is not usable.
        for (long offset = 0; offset < size; offset++) {
            InetAddress candidate = range.offset(offset).address();
            if (usable(network, candidate)
                    && !held.contains(candidate.getHostAddress())
                    && tryClaim(network, candidate, containerId)) {
                return new IpPrefix(candidate, subnet.length());
            }
        }
        throw new ConflictException("no available IPv4 addresses on network " + network.name() + " (" + range + ")");
    }

    /** Gives {@code address} back, if {@code containerId} holds it. */
    void release(NetworkRecord network, String address, String containerId) {
        Path file = directory(network).resolve(address);
        try {
            if (Files.readString(file).equals(containerId)) {
                Files.delete(file);
            }
        } catch (NoSuchFileException alreadyFree) {
            // released before, by an earlier stop or a restore
        } catch (IOException e) {
            throw new UncheckedIOException("release " + address + " of network " + network.name(), e);
        }
    }

    /** Gives back every address of {@code network} but those in {@code kept}. */
    void keepOnly(NetworkRecord network, Set<String> kept) {
        for (String address : held(network)) {
            if (!kept.contains(address)) {
                try {
                    Files.deleteIfExists(directory(network).resolve(address));
                } catch (IOException e) {
                    throw new UncheckedIOException("release " + address + " of network " + network.name(), e);
                }
            }
        }
    }

    /** Forgets every address of a removed network. */
    void forget(NetworkRecord network) {
        Path directory = directory(network);
        try (Stream<Path> files = Files.exists(directory) ? Files.list(directory) : Stream.empty()) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("forget the addresses of network " + network.name(), e);
        }
    }

    private boolean tryClaim(NetworkRecord network, InetAddress address, String containerId) {
        Path directory = directory(network);
        try {
            try {
                return create(directory.resolve(address.getHostAddress()), containerId);
            } catch (NoSuchFileException firstOfTheNetwork) {
                // Made at the first claim only: creating an existing directory costs a failed
                // mkdir(2) and an exception at every claim.
                Files.createDirectories(directory);
                return create(directory.resolve(address.getHostAddress()), containerId);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("claim " + address.getHostAddress() + " on network " + network.name(), e);
        }
    }

    /** Creates {@code file} holding {@code containerId}, unless it exists: false then. */
    private static boolean create(Path file, String containerId) throws IOException {
        try {
            // CREATE_NEW is open(2)'s O_CREAT|O_EXCL: the claim and the holder's id in one open.
            Files.writeString(file, containerId, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return true;
        } catch (FileAlreadyExistsException taken) {
            return false;
        }
    }

    private Set<String> held(NetworkRecord network) {
        Path directory = directory(network);
        if (!Files.isDirectory(directory)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            var names = new HashSet<String>();
            files.forEach(file -> names.add(file.getFileName().toString()));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("list the addresses of network " + network.name(), e);
        }
    }

    /** Not the subnet's address, not its broadcast address, not the gateway. */
    private static boolean usable(NetworkRecord network, InetAddress address) {
        IpPrefix subnet = network.subnetPrefix();
        BigInteger offset = number(address).subtract(number(subnet.network().address()));
        BigInteger last = BigInteger.ONE.shiftLeft(32 - subnet.length()).subtract(BigInteger.ONE);
        return offset.signum() > 0
                && offset.compareTo(last) < 0
                && !address.getHostAddress().equals(network.gateway());
    }

    private Path directory(NetworkRecord network) {
        return root.resolve(network.id());
    }

    private static BigInteger number(InetAddress address) {
        return new BigInteger(1, address.getAddress());
    }
}
