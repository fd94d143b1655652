package dev.canal.engine.net;

import dev.canal.runtime.net.IpPrefix;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Where a network created without {@code --subnet} gets its subnet: dockerd's
 * {@code --default-address-pool base=CIDR,size=N}, each pool cut into subnets of {@code size}
 * bits, in order (moby libnetwork/ipamutils). The first subnet that overlaps no network's is
 * taken ({@link #firstFree}); without {@code --bip} the default bridge takes the very first.
 *
 * @param pools the pools in the order given
 */
public record AddressPools(List<Pool> pools) {

    /** One {@code --default-address-pool}: {@code base} cut into subnets of prefix length {@code size}. */
    public record Pool(IpPrefix base, int size) {

        public Pool {
            if (base.isIpv6() || size < base.length() || size > 30) {
                throw new IllegalArgumentException("--default-address-pool base=" + base + ",size=" + size
                        + ": size must be from the base's prefix length to 30");
            }
            base = base.network();
        }

        /**
         * The first subnet of this pool that overlaps none of {@code taken}, in a walk over the
         * taken subnets rather than over the candidates: a candidate that overlaps one moves
         * past that one's end at once. The taken subnets sorted by their first address, the
         * candidate moves forward only, and each taken subnet is passed at most once, so the cost
         * is in proportion to the subnets in use, whatever the pool's size (0.0.0.0/0 cut into
         * /30s is 2^30 candidates).
         *
         * @param taken each subnet in use as its first and last address, sorted by the first
         */
        Optional<IpPrefix> firstFree(List<long[]> taken) {
            long step = 1L << (32 - size);
            long start = number(base);
            long candidate = start;
            long end = start + (1L << (32 - base.length()));
            for (long[] subnet : taken) {
                if (candidate >= end) {
                    return Optional.empty();
                }
                if (subnet[1] < candidate) {
                    continue; // before the candidate: passed already
                }
                if (subnet[0] >= candidate + step) {
                    break; // past the candidate, and so is every later one
                }
                // Overlaps the candidate: the next one that might be free is the first after its
                // last address, on a multiple of the step (so is the base: it has no host bits).
                candidate = (subnet[1] + step) & -step;
            }
            return candidate < end
                    ? Optional.of(new IpPrefix(base.offset(candidate - start).address(), size))
                    : Optional.empty();
        }
    }

    /** dockerd's defaults: 172.17.0.0/16 to 172.31.0.0/16, then 192.168.0.0/16 in /20s. */
    public static final AddressPools DOCKER = new AddressPools(Stream.concat(
                    IntStream.rangeClosed(17, 31)
                            .mapToObj(second -> new Pool(IpPrefix.parse("pool", "172." + second + ".0.0/16"), 16)),
                    Stream.of(new Pool(IpPrefix.parse("pool", "192.168.0.0/16"), 20)))
            .toList());

    public AddressPools {
        pools = List.copyOf(pools);
        if (pools.isEmpty()) {
            throw new IllegalArgumentException("no default address pool");
        }
    }

    /** One {@code --default-address-pool} value, {@code base=10.10.0.0/16,size=24}, as dockerd reads it. */
    public static Pool parse(String option) {
        IpPrefix base = null;
        Integer size = null;
        for (String field : option.split(",")) {
            int equals = field.indexOf('=');
            String key = equals < 0 ? field : field.substring(0, equals).strip();
            String value = equals < 0 ? "" : field.substring(equals + 1).strip();
            switch (key) {
                case "base" -> base = IpPrefix.parse("--default-address-pool base", value);
                case "size" -> {
                    try {
                        size = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(
                                "--default-address-pool " + option + ": size is not a number");
                    }
                }
                default ->
                    throw new IllegalArgumentException("--default-address-pool " + option + ": unexpected field \""
                            + key + "\" (base=CIDR,size=N)");
            }
        }
        if (base == null || size == null) {
            throw new IllegalArgumentException("--default-address-pool " + option + ": expected base=CIDR,size=N");
        }
        return new Pool(base, size);
    }

    /**
     * The first subnet of the pools, in order, that overlaps none of {@code taken}: in
     * proportion to the number of subnets taken, not to the pools' sizes ({@link Pool#firstFree}).
     */
    public Optional<IpPrefix> firstFree(Collection<IpPrefix> taken) {
        List<long[]> ranges = taken.stream()
                .filter(subnet -> !subnet.isIpv6())
                .map(subnet -> {
                    long first = number(subnet.network());
                    return new long[] {first, first + (1L << (32 - subnet.length())) - 1};
                })
                .sorted(Comparator.comparingLong(range -> range[0]))
                .toList();
        return pools.stream()
                .map(pool -> pool.firstFree(ranges))
                .flatMap(Optional::stream)
                .findFirst();
    }

    /** The default bridge's address without {@code --bip}: the first subnet's first host. */
    public IpPrefix firstGateway() {
        Pool first = pools.getFirst();
        return new IpPrefix(first.base().address(), first.size()).offset(1);
    }

    /** An IPv4 address as an unsigned 32-bit number. */
    private static long number(IpPrefix prefix) {
        return Integer.toUnsignedLong(
                ByteBuffer.wrap(prefix.address().getAddress()).getInt());
    }
}
