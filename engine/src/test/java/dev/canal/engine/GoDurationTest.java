package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Cases from Go's time.ParseDuration tests. */
class GoDurationTest {

    @Test
    void readsNumbersWithUnits() {
        assertEquals(Duration.ZERO, GoDuration.parse("0"));
        assertEquals(Duration.ofSeconds(5), GoDuration.parse("5s"));
        assertEquals(Duration.ofSeconds(90), GoDuration.parse("1m30s"));
        assertEquals(Duration.ofMillis(3723500), GoDuration.parse("1h2m3.5s"));
        assertEquals(Duration.ofMinutes(-90), GoDuration.parse("-1.5h"));
        assertEquals(Duration.ofMillis(300), GoDuration.parse("+300ms"));
        assertEquals(Duration.ofNanos(1000), GoDuration.parse("1us"));
        assertEquals(Duration.ofNanos(2000), GoDuration.parse("2µs"));
        assertEquals(Duration.ofNanos(50), GoDuration.parse("50ns"));
        assertEquals(Duration.ofMillis(500), GoDuration.parse(".5s"));
    }

    @Test
    void refusesWhatGoRefuses() {
        assertEquals(
                "time: invalid duration \"\"",
                assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(""))
                        .getMessage());
        assertEquals(
                "time: missing unit in duration \"1\"",
                assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("1"))
                        .getMessage());
        assertEquals(
                "time: unknown unit \"x\" in duration \"1x\"",
                assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("1x"))
                        .getMessage());
        // 2562048h is past Go's int64 nanoseconds (about 292 years).
        for (String bad : new String[] {"-", "s", ".s", "3", "1.2.3s", "2562048h", "9999999999h"}) {
            assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(bad), bad);
        }
    }
}
