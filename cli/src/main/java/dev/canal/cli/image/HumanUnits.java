package dev.canal.cli.image;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Sizes and ages as docker prints them (go-units: HumanSize, HumanDuration). */
public final class HumanUnits {

    private static final String[] DECIMAL_UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

    private static final String[] BINARY_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private HumanUnits() {}

    /** Decimal units with three significant digits: {@code 4.26MB}, {@code 872kB}, {@code 0B} (HumanSize). */
    public static String size(long bytes) {
        return scaled(bytes, 1000, DECIMAL_UNITS, 3);
    }

    /** Binary units with four significant digits: {@code 1.52MiB}, {@code 32MiB}, {@code 7.637GiB} (BytesSize). */
    public static String binarySize(long bytes) {
        return scaled(bytes, 1024, BINARY_UNITS, 4);
    }

    /** go-units' CustomSize: divided by {@code base} while it is that large, then Go's %.Ng without trailing zeros. */
    private static String scaled(long bytes, int base, String[] units, int digits) {
        double value = bytes;
        int unit = 0;
        while (value >= base && unit < units.length - 1) {
            value /= base;
            unit++;
        }
        String number = new java.math.BigDecimal(value)
                .round(new java.math.MathContext(digits))
                .stripTrailingZeros()
                .toPlainString();
        return number + units[unit];
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
