package dev.canal.cli;

import java.util.Locale;

/** Sizes as docker's {@code -m} takes them: a number of bytes, or with a b, k, m or g suffix (powers of 1024). */
public final class ByteSize {

    private ByteSize() {}

    /** {@code 32m} is 33554432; {@code option} names the argument in the error. */
    public static long parse(String text, String option) {
        String lower = text.trim().toLowerCase(Locale.ROOT);
        if (lower.endsWith("b") && lower.length() > 1 && !Character.isDigit(lower.charAt(lower.length() - 2))) {
            lower = lower.substring(0, lower.length() - 1); // "32mb" as docker's RAMInBytes reads it
        }
        long unit = switch (lower.isEmpty() ? ' ' : lower.charAt(lower.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 'b' -> 1;
            default -> 0;
        };
        String digits = unit == 0 ? lower : lower.substring(0, lower.length() - 1);
        try {
            long value = Math.multiplyExact(Long.parseLong(digits), unit == 0 ? 1 : unit);
            if (value <= 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(
                    option + " " + text + ": not a size (a positive number with an optional k, m or g suffix)");
        }
    }
}
