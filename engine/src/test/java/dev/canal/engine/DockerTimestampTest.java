package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The forms of docker's GetTimestamp (api/types/time/timestamp_test.go), read as docker reads them. */
class DockerTimestampTest {

    private static final Instant NOW = Instant.parse("2026-12-07T16:00:00Z");

    private static Instant parse(String value) {
        return DockerTimestamp.parse(value, NOW);
    }

    private static Instant local(String dateTime) {
        return LocalDateTime.parse(dateTime)
                .toInstant(ZoneId.systemDefault().getRules().getOffset(NOW));
    }

    @Test
    void aDurationCountsBackFromNow() {
        assertEquals(NOW.minusSeconds(600), parse("10m"));
        assertEquals(NOW.minusSeconds(5400), parse("1h30m"));
        assertEquals(NOW.minusSeconds(5400), parse("1.5h"));
        assertEquals(NOW.minusMillis(300), parse("300ms"));
        assertEquals(NOW.plusSeconds(60), parse("-1m"));
    }

    @Test
    void unixSecondsWithAnOptionalFraction() {
        assertEquals(Instant.ofEpochSecond(1733580000), parse("1733580000"));
        assertEquals(Instant.ofEpochSecond(1733580000, 500_000_000), parse("1733580000.5"));
        assertEquals(Instant.EPOCH, parse("0"));
    }

    @Test
    void rfc3339WithAZoneIsThatInstant() {
        assertEquals(Instant.parse("2024-01-02T15:04:05Z"), parse("2024-01-02T15:04:05Z"));
        assertEquals(Instant.parse("2024-01-02T15:04:05.123456789Z"), parse("2024-01-02T15:04:05.123456789z"));
        assertEquals(Instant.parse("2024-01-02T13:04:05Z"), parse("2024-01-02T15:04:05+02:00"));
        assertEquals(Instant.parse("2024-01-02T13:04:00Z"), parse("2024-01-02T15:04+02:00"));
        assertEquals(Instant.parse("2024-01-02T15:00:00Z"), parse("2024-01-02T15Z"));
        assertEquals(Instant.parse("2024-01-02T00:00:00Z"), parse("2024-01-02Z"));
        assertEquals(Instant.parse("2024-01-01T22:00:00Z"), parse("2024-01-02+02:00"));
    }

    @Test
    void withoutAZoneItIsLocalTime() {
        assertEquals(local("2024-01-02T00:00:00"), parse("2024-01-02"));
        assertEquals(local("2024-01-02T15:00:00"), parse("2024-01-02T15"));
        assertEquals(local("2024-01-02T15:04:00"), parse("2024-01-02T15:04"));
        assertEquals(local("2024-01-02T15:04:05"), parse("2024-01-02T15:04:05"));
    }

    @Test
    void anythingElseIsRefusedInDocker_sWords() {
        for (String value : new String[] {
            "yesterday",
            "10x",
            "2024-13-01",
            "1.2.3",
            "",
            "12:00",
            "2024-01-02X",
            "2024-01-0",
            // Past what an Instant holds or a long counts: refused, not wrapped round.
            "18446744073709551617",
            "31556889864403200",
            "2562048h"
        }) {
            var refused = assertThrows(IllegalArgumentException.class, () -> parse(value), value);
            assertEquals("failed to parse value as time or duration: \"" + value + "\"", refused.getMessage());
        }
    }
}
