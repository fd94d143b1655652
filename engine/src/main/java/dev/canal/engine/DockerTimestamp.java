package dev.canal.engine;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * Docker's times (moby's api/types/time.GetTimestamp, daemon/internal/timestamp.Parse today): a
 * Go duration before now ({@code 10m}, {@code 1h30m}, {@code 1.5h}), an RFC 3339 date or
 * date-time with or without a zone (without one, at the offset the local zone has now, as Go's
 * {@code time.FixedZone(reference.Zone())}), or Unix seconds with an optional fraction
 * ({@code 1733580000.5}, what the docker CLI sends for {@code logs} and {@code events}). One
 * parser for every {@code since} and {@code until}: {@code canal logs}, and canald's
 * {@code logs}, {@code events} and the {@code until} filter of {@code network prune}.
 */
public final class DockerTimestamp {

    private static final Pattern UNIX_SECONDS = Pattern.compile("\\d+(\\.\\d{1,9})?");

    private DockerTimestamp() {}

    /**
     * {@code value} as an instant, {@code now} being the reference for durations.
     *
     * @throws IllegalArgumentException in moby's words: {@code failed to parse value as time or duration: "VALUE"}
     */
    public static Instant parse(String value, Instant now) {
        try {
            Duration before = durationOrNull(value);
            if (before != null) {
                return now.minus(before);
            }
            if (value.contains("-")) {
                return dateTime(value, now);
            }
            if (UNIX_SECONDS.matcher(value).matches()) {
                BigDecimal seconds = new BigDecimal(value);
                return Instant.ofEpochSecond(
                        seconds.toBigInteger().longValueExact(),
                        seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
            }
        } catch (DateTimeException | ArithmeticException beyondInstants) {
            // A date that does not exist, or seconds or a duration past what an Instant holds.
        }
        throw refused(value);
    }

    /** A Go duration, but not "0": docker reads that as Unix time 0. */
    private static Duration durationOrNull(String value) {
        if (value.equals("0")) {
            return null;
        }
        try {
            return GoDuration.parse(value);
        } catch (IllegalArgumentException notADuration) {
            return null;
        }
    }

    /** RFC 3339 forms, the zone optional: 2024-01-02, 2024-01-02T15, 2024-01-02T15:04, ...:05.999Z. */
    private static Instant dateTime(String value, Instant now) {
        ZoneOffset local = ZoneId.systemDefault().getRules().getOffset(now);
        String text = value.replace('z', 'Z');
        boolean zoned = text.endsWith("Z") || text.matches(".*T.*[+-]\\d\\d:\\d\\d$");
        if (!text.contains("T")) {
            // Go's "2006-01-02Z07:00": a zone may follow the date alone.
            ZoneOffset zone = text.length() > 10 ? ZoneOffset.of(text.substring(10)) : local;
            return LocalDate.parse(text.substring(0, Math.min(10, text.length())))
                    .atStartOfDay()
                    .toInstant(zone);
        }
        String date = text.substring(0, text.indexOf('T'));
        String rest = text.substring(text.indexOf('T') + 1);
        String zone = "";
        if (zoned) {
            int at = rest.endsWith("Z") ? rest.length() - 1 : rest.length() - 6;
            zone = rest.substring(at);
            rest = rest.substring(0, at);
        }
        // Go accepts the hour alone and hour:minute: fill in what java.time needs.
        String time = switch (rest.length() - rest.replace(":", "").length()) {
            case 0 -> rest + ":00:00";
            case 1 -> rest + ":00";
            default -> rest;
        };
        String full = date + "T" + time;
        return zoned
                ? OffsetDateTime.parse(full + zone).toInstant()
                : LocalDateTime.parse(full).toInstant(local);
    }

    private static IllegalArgumentException refused(String value) {
        return new IllegalArgumentException("failed to parse value as time or duration: \"" + value + "\"");
    }
}
