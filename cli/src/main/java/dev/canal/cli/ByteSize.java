package dev.canal.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as docker's {@code -m}, {@code --shm-size} and {@code --device-read-bps} take them
 * (go-units' RAMInBytes): a number, perhaps with a fraction, and an optional unit k, m, g, t or
 * p, each 1024 times the one before, which may be followed by "i" and "b" ("32m", "1.5GiB",
 * "1mb").
 */
public final class ByteSize {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?) ?([kmgtp])?i?b?");

    private static final String UNITS = "kmgtp";

    private ByteSize() {}

    /** {@code 32m} is 33554432; {@code option} names the argument in the error. */
    public static long parse(String text, String option) {
        Matcher matcher = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        try {
            if (!matcher.matches()) {
                throw new NumberFormatException();
            }
            int power = matcher.group(2) == null ? 0 : UNITS.indexOf(matcher.group(2)) + 1;
            // Fractions as go-units: 1.5k is 1536 bytes, the rest truncated.
            return new BigDecimal(matcher.group(1))
                    .multiply(BigDecimal.valueOf(1L << (10 * power)))
                    .setScale(0, RoundingMode.DOWN)
                    .longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(option + " " + text
                    + ": not a size (a number with an optional unit k, m, g, t or p, as in 64m or 1.5g)");
        }
    }
}
