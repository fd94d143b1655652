package dev.canal.engine;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * Go's time.ParseDuration, which HEALTHCHECK's {@code --interval=1m30s} options and {@code docker logs --since 10m} use: a sign,
 * then decimal numbers each with a unit ({@code ns}, {@code us} or {@code µs}, {@code ms},
 * {@code s}, {@code m}, {@code h}); {@code 0} alone needs no unit.
 */
public final class GoDuration {

    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "µs", 1_000L,
            "μs", 1_000L,
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L);

    private GoDuration() {}

    /** @throws IllegalArgumentException {@code time: invalid duration "TEXT"}, as Go says it */
    public static Duration parse(String text) {
        String rest = text;
        boolean negative = false;
        if (rest.startsWith("-") || rest.startsWith("+")) {
            negative = rest.startsWith("-");
            rest = rest.substring(1);
        }
        if (rest.equals("0")) {
            return Duration.ZERO;
        }
        if (rest.isEmpty()) {
            throw invalid(text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        while (!rest.isEmpty()) {
            int number = 0;
            while (number < rest.length() && (Character.isDigit(rest.charAt(number)) || rest.charAt(number) == '.')) {
                number++;
            }
            int unit = number;
            while (unit < rest.length() && !Character.isDigit(rest.charAt(unit)) && rest.charAt(unit) != '.') {
                unit++;
            }
            String digits = rest.substring(0, number);
            if (digits.isEmpty() || digits.equals(".")) {
                throw invalid(text);
            }
            String unitName = rest.substring(number, unit);
            Long perUnit = NANOS_PER_UNIT.get(unitName);
            if (unitName.isEmpty()) {
                throw new IllegalArgumentException("time: missing unit in duration \"" + text + "\"");
            }
            if (perUnit == null) {
                throw new IllegalArgumentException(
                        "time: unknown unit \"" + unitName + "\" in duration \"" + text + "\"");
            }
            try {
                nanos = nanos.add(new BigDecimal(digits).multiply(BigDecimal.valueOf(perUnit)));
            } catch (NumberFormatException e) {
                throw invalid(text);
            }
            rest = rest.substring(unit);
        }
        // Go's Duration is an int64 of nanoseconds (about 292 years): beyond it, invalid.
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw invalid(text);
        }
        long whole = nanos.longValue();
        return Duration.ofNanos(negative ? -whole : whole);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("time: invalid duration \"" + text + "\"");
    }
}
