package dev.canal.engine.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PortRequestTest {

    @Test
    void parsesDockersKeysAndBindings() {
        assertEquals(new PortRequest("tcp", 80, "", 8080), PortRequest.parse("80/tcp", "", "8080"));
        assertEquals(new PortRequest("udp", 53, "127.0.0.1", 0), PortRequest.parse("53/udp", "127.0.0.1", ""));
        assertEquals(new PortRequest("tcp", 9000, "", 0), PortRequest.parse("9000", null, null));
        assertEquals("53/udp", PortRequest.parse("53/UDP", "", "").key());
    }

    @Test
    void refusesWhatDockerRefuses() {
        assertThrows(IllegalArgumentException.class, () -> PortRequest.parse("80/sctp", "", ""));
        assertThrows(IllegalArgumentException.class, () -> PortRequest.parse("0/tcp", "", ""));
        assertThrows(IllegalArgumentException.class, () -> PortRequest.parse("80/tcp", "", "70000"));
        assertThrows(IllegalArgumentException.class, () -> PortRequest.parse("http/tcp", "", ""));
        assertThrows(IllegalArgumentException.class, () -> PortRequest.parse("80/tcp", "localhost", "8080"));
    }
}
