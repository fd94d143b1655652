package dev.canal.engine.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.canal.runtime.net.IpPrefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AddressPoolsTest {

    private static List<IpPrefix> subnets(String... cidrs) {
        return Arrays.stream(cidrs).map(cidr -> IpPrefix.parse("test", cidr)).toList();
    }

    private static String firstFree(AddressPools pools, List<IpPrefix> taken) {
        return pools.firstFree(taken).map(IpPrefix::toString).orElse("none");
    }

    @Test
    void dockersDefaultsAreTheSixteenBitSubnetsOf172ThenTwentyBitOnesOf192168() {
        assertEquals("172.17.0.0/16", firstFree(AddressPools.DOCKER, List.of()));
        assertEquals("172.18.0.0/16", firstFree(AddressPools.DOCKER, subnets("172.17.0.0/16")));
        var all172 = new ArrayList<IpPrefix>();
        for (int second = 17; second <= 31; second++) {
            all172.add(IpPrefix.parse("test", "172." + second + ".0.0/16"));
        }
        assertEquals("192.168.0.0/20", firstFree(AddressPools.DOCKER, all172));
        all172.add(IpPrefix.parse("test", "192.168.0.0/20"));
        assertEquals("192.168.16.0/20", firstFree(AddressPools.DOCKER, all172));
        all172.add(IpPrefix.parse("test", "192.168.0.0/16"));
        assertEquals("none", firstFree(AddressPools.DOCKER, all172));
        assertEquals("172.17.0.1/16", AddressPools.DOCKER.firstGateway().toString());
    }

    @Test
    void aPoolIsCutIntoSubnetsOfItsSizeInOrderAndAnyOverlapRulesOneOut() {
        var pools = new AddressPools(List.of(
                AddressPools.parse("base=10.10.0.0/16,size=24"), AddressPools.parse("size=28, base=10.20.0.0/24")));
        assertEquals("10.10.0.1/24", pools.firstGateway().toString());
        assertEquals("10.10.0.0/24", firstFree(pools, List.of()));
        assertEquals("10.10.1.0/24", firstFree(pools, subnets("10.10.0.128/25")));
        assertEquals("10.10.0.0/24", firstFree(pools, subnets("10.9.0.0/16", "10.10.1.0/24")));
        assertEquals("10.10.128.0/24", firstFree(pools, subnets("10.10.0.0/17")));
        assertEquals("10.10.2.0/24", firstFree(pools, subnets("10.10.1.0/24", "10.10.0.0/24", "10.10.0.4/30")));
        assertEquals("10.20.0.0/28", firstFree(pools, subnets("10.10.0.0/16")));
        assertEquals("10.20.0.16/28", firstFree(pools, subnets("10.10.0.0/16", "10.20.0.4/30")));
        assertEquals("none", firstFree(pools, subnets("10.0.0.0/8")));
    }

    /**
     * A pool of 2^28 candidates (0.0.0.0/2 in /30s) whose only free one is the last: the taken
     * subnets halve what is left each time (0.0.0.0/3, 32.0.0.0/4, ...). Walking the candidates
     * one by one took minutes; the timeout is a guard against that hang, not a measure of speed.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHugePoolCostsWhatItsTakenSubnetsCostNotItsSize() {
        var pools = new AddressPools(List.of(AddressPools.parse("base=0.0.0.0/2,size=30")));
        var taken = new ArrayList<IpPrefix>();
        long first = 0;
        for (int length = 3; length <= 30; length++) {
            taken.addFirst(new IpPrefix(
                    IpPrefix.parse("test", "0.0.0.0/2").offset(first).address(), length));
            first += 1L << (32 - length);
        }
        assertEquals("63.255.255.248/30", taken.getFirst().toString());
        assertEquals("63.255.255.252/30", firstFree(pools, taken));
        taken.add(IpPrefix.parse("test", "63.255.255.252/30"));
        assertEquals(Optional.empty(), pools.firstFree(taken));
        assertEquals("none", firstFree(pools, subnets("0.0.0.0/0")));
    }

    @Test
    void aBadPoolIsRefusedInOneLine() {
        assertEquals(
                "--default-address-pool base=10.10.0.0/16: expected base=CIDR,size=N",
                assertThrows(IllegalArgumentException.class, () -> AddressPools.parse("base=10.10.0.0/16"))
                        .getMessage());
        assertEquals(
                "--default-address-pool base=10.10.0.0/16,size=8: size must be from the base's prefix length to 30",
                assertThrows(IllegalArgumentException.class, () -> AddressPools.parse("base=10.10.0.0/16,size=8"))
                        .getMessage());
        assertEquals(
                "--default-address-pool base=10.0.0.0/8,colour=red: unexpected field \"colour\" (base=CIDR,size=N)",
                assertThrows(IllegalArgumentException.class, () -> AddressPools.parse("base=10.0.0.0/8,colour=red"))
                        .getMessage());
    }
}
