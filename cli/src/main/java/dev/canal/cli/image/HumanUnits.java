package dev.canal.cli.image;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Sizes and ages as docker prints them (go-units: HumanSize, HumanDuration). */
public final class HumanUnits {

    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

    private HumanUnits() {}

    /** Decimal units with three significant digits: {@code 4.26MB}, {@code 872kB}, {@code 0B}. */
    static String size(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        String digits = new java.math.BigDecimal(value)
                .round(new java.math.MathContext(3))
                .stripTrailingZeros()
                .toPlainString();
        return digits + UNITS[unit];
    }

    /** {@code 3 days ago}, {@code About an hour ago}; {@code N/A} without a creation time. */
    public static String ago(String created, Instant now) {
        if (created == null) {
            return "N/A";
        }
        Instant then;
        try {
            then = Instant.parse(created);
        } catch (DateTimeParseException e) {
            return "N/A";
        }
        Duration age = Duration.between(then, now);
        long seconds = Math.max(0, age.toSeconds());
        if (seconds < 1) {
            return "Less than a second ago";
        }
        if (seconds == 1) {
            return "1 second ago";
        }
        if (seconds < 60) {
            return seconds + " seconds ago";
        }
        long minutes = seconds / 60;
        if (minutes == 1) {
            return "About a minute ago";
        }
        if (minutes < 60) {
            return minutes + " minutes ago";
        }
        long hours = Math.round(seconds / 3600.0);
        if (hours == 1) {
            return "About an hour ago";
        }
        if (hours < 48) {
            return hours + " hours ago";
        }
        long days = hours / 24;
        if (days < 14) {
            return days + " days ago";
        }
        if (days < 60) {
            return days / 7 + " weeks ago";
        }
        if (days < 730) {
            return days / 30 + " months ago";
        }
        return days / 365 + " years ago";
    }
}
