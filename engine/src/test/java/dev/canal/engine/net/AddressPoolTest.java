package dev.canal.engine.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.canal.engine.ConflictException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddressPoolTest {

    private static final NetworkRecord FRONT = network("10.1.0.0/29", "10.1.0.1", null);

    @TempDir
    Path root;

    @Test
    void handsOutTheLowestFreeAddressSkippingTheGatewayAndNeverOneHeld() {
        var pool = new AddressPool(root);
        assertEquals("10.1.0.2/29", pool.claim(FRONT, "a", null).toString());
        assertEquals("10.1.0.3/29", pool.claim(FRONT, "b", null).toString());
        pool.release(FRONT, "10.1.0.2", "a");
        assertEquals("10.1.0.2/29", pool.claim(FRONT, "c", null).toString());
    }

    @Test
    void whatIsHeldStaysHeldForAPoolOpenedAfterARestart() {
        new AddressPool(root).claim(FRONT, "a", null);
        new AddressPool(root).claim(FRONT, "b", "10.1.0.5");
        var afterRestart = new AddressPool(root);
        assertEquals("10.1.0.3/29", afterRestart.claim(FRONT, "c", null).toString());
        assertThrows(ConflictException.class, () -> afterRestart.claim(FRONT, "d", "10.1.0.5"));
    }

    @Test
    void onlyItsHolderReleasesAnAddress() {
        var pool = new AddressPool(root);
        pool.claim(FRONT, "a", null);
        pool.release(FRONT, "10.1.0.2", "someone else");
        assertEquals("10.1.0.3/29", pool.claim(FRONT, "b", null).toString());
    }

    @Test
    void keepOnlyGivesBackEveryOtherAddress() {
        var pool = new AddressPool(root);
        pool.claim(FRONT, "a", null);
        pool.claim(FRONT, "b", null);
        pool.claim(FRONT, "c", null);
        pool.keepOnly(FRONT, Set.of("10.1.0.3"));
        assertEquals("10.1.0.2/29", pool.claim(FRONT, "d", null).toString());
        assertEquals("10.1.0.4/29", pool.claim(FRONT, "e", null).toString());
        assertThrows(ConflictException.class, () -> pool.claim(FRONT, "f", "10.1.0.3"));
    }

    @Test
    void aFullSubnetIsAConflictAndItsEdgesAreNeverHandedOut() {
        var pool = new AddressPool(root);
        for (int host = 2; host <= 6; host++) {
            assertEquals(
                    "10.1.0." + host + "/29",
                    pool.claim(FRONT, "c" + host, null).toString());
        }
        assertThrows(ConflictException.class, () -> pool.claim(FRONT, "full", null));
        for (String edge : new String[] {"10.1.0.0", "10.1.0.7", "10.1.0.1", "10.2.0.3"}) {
            assertThrows(IllegalArgumentException.class, () -> pool.claim(FRONT, "x", edge), edge);
        }
    }

    @Test
    void anIpRangeLimitsWhatIsPickedNotWhatIsAskedFor() {
        var ranged = network("10.1.0.0/24", "10.1.0.1", "10.1.0.128/25");
        var pool = new AddressPool(root);
        assertEquals("10.1.0.128/24", pool.claim(ranged, "a", null).toString());
        assertEquals("10.1.0.129/24", pool.claim(ranged, "c", null).toString());
        assertEquals("10.1.0.7/24", pool.claim(ranged, "b", "10.1.0.7").toString());
    }

    private static NetworkRecord network(String subnet, String gateway, String ipRange) {
        return new NetworkRecord(
                "f".repeat(64),
                "front",
                "bridge",
                "br-ffffffffffff",
                subnet,
                gateway,
                ipRange,
                false,
                Map.of(),
                "2026-12-07T00:00:00Z",
                false);
    }
}
