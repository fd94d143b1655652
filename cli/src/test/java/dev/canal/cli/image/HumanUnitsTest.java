package dev.canal.cli.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The figures {@code canal images} prints match what docker prints for the same values. */
class HumanUnitsTest {

    @Test
    void sizesHaveThreeSignificantDigitsInDecimalUnits() {
        assertEquals("0B", HumanUnits.size(0));
        assertEquals("999B", HumanUnits.size(999));
        assertEquals("4.26MB", HumanUnits.size(4_261_000));
        assertEquals("872kB", HumanUnits.size(872_000));
        assertEquals("1GB", HumanUnits.size(1_000_000_000));
    }

    @Test
    void memorySizesHaveFourSignificantDigitsInBinaryUnits() {
        // docker stats' MEM USAGE / LIMIT column (go-units BytesSize).
        assertEquals("0B", HumanUnits.binarySize(0));
        assertEquals("1023B", HumanUnits.binarySize(1023));
        assertEquals("32MiB", HumanUnits.binarySize(32L << 20));
        assertEquals("1.5KiB", HumanUnits.binarySize(1536));
        assertEquals("23.54GiB", HumanUnits.binarySize(25_275_000_000L));
    }

    @Test
    void agesReadLikeDockers() {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        assertEquals("N/A", HumanUnits.ago(null, now));
        assertEquals("1 second ago", HumanUnits.ago("2026-11-27T11:59:59Z", now), "as docker: one, not 1 seconds");
        assertEquals("30 seconds ago", HumanUnits.ago("2026-11-27T11:59:30Z", now));
        assertEquals("About a minute ago", HumanUnits.ago("2026-11-27T11:59:00Z", now));
        assertEquals("About an hour ago", HumanUnits.ago("2026-11-27T11:00:00Z", now));
        assertEquals("5 hours ago", HumanUnits.ago("2026-11-27T07:00:00Z", now));
        assertEquals("3 days ago", HumanUnits.ago("2026-11-24T12:00:00Z", now));
        assertEquals("3 weeks ago", HumanUnits.ago("2026-11-06T12:00:00Z", now));
        assertEquals("2 years ago", HumanUnits.ago("2024-11-01T12:00:00Z", now));
    }
}
