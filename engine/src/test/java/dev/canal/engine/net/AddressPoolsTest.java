package dev.canal.engine.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.canal.runtime.net.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressPoolsTest {

    @Test
    void dockersDefaultsAreTheSixteenBitSubnetsOf172ThenTwentyBitOnesOf192168() {
        List<IpPrefix> subnets = AddressPools.DOCKER.subnets().toList();
        assertEquals(15 + 16, subnets.size());
        assertEquals("172.17.0.0/16", subnets.getFirst().toString());
        assertEquals("172.31.0.0/16", subnets.get(14).toString());
        assertEquals("192.168.16.0/20", subnets.get(16).toString());
        assertEquals("192.168.240.0/20", subnets.getLast().toString());
        assertEquals("172.17.0.1/16", AddressPools.DOCKER.firstGateway().toString());
    }

    @Test
    void aPoolIsCutIntoSubnetsOfItsSizeInOrder() {
        var pools = new AddressPools(List.of(
                AddressPools.parse("base=10.10.0.0/16,size=24"), AddressPools.parse("size=28, base=10.20.0.0/24")));
        List<IpPrefix> subnets = pools.subnets().toList();
        assertEquals(256 + 16, subnets.size());
        assertEquals("10.10.1.0/24", subnets.get(1).toString());
        assertEquals("10.10.255.0/24", subnets.get(255).toString());
        assertEquals("10.20.0.16/28", subnets.get(257).toString());
        assertEquals("10.10.0.1/24", pools.firstGateway().toString());
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
