package dev.canal.cli.run;

import dev.canal.engine.GoDuration;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The times {@code docker logs --since/--until} take (docker's api/types/time.GetTimestamp): a Go
 * duration before now ({@code 10m}, {@code 1h30m}, {@code 1.5h}), an RFC 3339 date or date-time
 * with or without a zone (without one, in the local zone, as docker reads it), or Unix seconds
 * with an optional fraction ({@code 1733580000.5}).
 */
final class DockerTimestamp {

    private static final Pattern UNIX_SECONDS = Pattern.compile("\\d+(\\.\\d{1,9})?");

    private DockerTimestamp() {}

    /** {@code value} of option {@code option} as an instant, {@code now} being the reference for durations. */
    static Instant parse(String option, String value, Instant now) {
        Duration before = durationOrNull(value);
        if (before != null) {
            return now.minus(before);
        }
        if (value.contains("-")) {
            try {
                return dateTime(value);
            } catch (DateTimeParseException e) {
                throw refused(option, value);
            }
        }
        if (UNIX_SECONDS.matcher(value).matches()) {
            BigDecimal seconds = new BigDecimal(value);
            return Instant.ofEpochSecond(
                    seconds.longValue(),
                    seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        }
        throw refused(option, value);
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
    private static Instant dateTime(String value) {
        String text = value.replace('z', 'Z');
        boolean zoned = text.endsWith("Z") || text.matches(".*T.*[+-]\\d\\d:\\d\\d$");
        if (!text.contains("T")) {
            return LocalDate.parse(text).atStartOfDay(ZoneId.systemDefault()).toInstant();
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
                : LocalDateTime.parse(full).atZone(ZoneId.systemDefault()).toInstant();
    }

    private static IllegalArgumentException refused(String option, String value) {
        return new IllegalArgumentException(
                "invalid value for \"" + option + "\": failed to parse value as time or duration: \"" + value + "\"");
    }
}
