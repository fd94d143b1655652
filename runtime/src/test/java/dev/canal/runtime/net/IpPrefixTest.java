package dev.canal.runtime.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class IpPrefixTest {

    private static Optional<String> broadcast(String prefix) {
        return IpPrefix.parse("test", prefix).broadcast().map(address -> address.getHostAddress());
    }

    @Test
    void broadcastSetsEveryBitPastThePrefix() {
        assertEquals(Optional.of("172.17.255.255"), broadcast("172.17.0.1/16"));
        assertEquals(Optional.of("10.200.0.255"), broadcast("10.200.0.2/24"));
        assertEquals(Optional.of("10.1.0.255"), broadcast("10.1.0.128/25"));
        assertEquals(Optional.of("192.168.9.3"), broadcast("192.168.9.1/30"));
        assertEquals(Optional.of("255.255.255.255"), broadcast("10.0.0.1/0"));
    }

    @Test
    void thereIsNoneForPointToPointPrefixesNorIpv6() {
        assertEquals(Optional.empty(), broadcast("10.0.0.1/31"));
        assertEquals(Optional.empty(), broadcast("10.0.0.1/32"));
        assertEquals(Optional.empty(), broadcast("fd00::1/64"));
    }

    @Test
    void offsetCountsFromTheSubnetsAddressAndCarriesAcrossBytes() {
        assertEquals(
                "10.1.0.1/24", IpPrefix.parse("test", "10.1.0.77/24").offset(1).toString());
        assertEquals(
                "172.18.0.0/16",
                IpPrefix.parse("test", "172.17.0.0/16").offset(1 << 16).toString());
        assertEquals(
                "10.0.1.44/22",
                IpPrefix.parse("test", "10.0.0.0/22").offset(300).toString());
        assertEquals("0.0.0.0/0", IpPrefix.parse("test", "0.0.0.0/0").offset(0).toString());
        assertEquals(
                "fd00:0:0:0:0:0:1:0/64",
                IpPrefix.parse("test", "fd00::/64").offset(65536).toString());
    }
}
