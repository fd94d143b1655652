package dev.canal.engine.net;

import dev.canal.runtime.net.IpPrefix;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Where a network created without {@code --subnet} gets its subnet: dockerd's
 * {@code --default-address-pool base=CIDR,size=N}, each pool cut into subnets of {@code size}
 * bits, in order (moby libnetwork/ipamutils). The first subnet that overlaps no network's is
 * taken; without {@code --bip} the default bridge takes the very first.
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

        /** The subnets in order: base, base + 2^(32 - size), ... */
        Stream<IpPrefix> subnets() {
            return IntStream.range(0, 1 << (size - base.length()))
                    .mapToObj(index -> new IpPrefix(
                            base.offset((long) index << (32 - size)).address(), size));
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

    /** Every subnet of every pool, in order. */
    public Stream<IpPrefix> subnets() {
        return pools.stream().flatMap(Pool::subnets);
    }

    /** The default bridge's address without {@code --bip}: the first subnet's first host. */
    public IpPrefix firstGateway() {
        return subnets().findFirst().orElseThrow().offset(1);
    }
}
