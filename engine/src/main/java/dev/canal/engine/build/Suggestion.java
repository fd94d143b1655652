package dev.canal.engine.build;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Docker's "did you mean" for a mistyped instruction or flag (moby/buildkit util/suggest): the
 * closest known name within a Levenshtein distance of 2, in the case it was typed in.
 */
final class Suggestion {

    private Suggestion() {}

    /** The message with {@code (did you mean NAME?)} appended when a known name is close. */
    static String append(String message, String typed, Collection<String> known, boolean caseSensitive) {
        return closest(typed, known, caseSensitive)
                .map(match -> message + " (did you mean " + match + "?)")
                .orElse(message);
    }

    static Optional<String> closest(String typed, Collection<String> known, boolean caseSensitive) {
        String value = caseSensitive ? typed : typed.toLowerCase(Locale.ROOT);
        String match = null;
        int smallest = 3;
        for (String option : known.stream().sorted().toList()) {
            String candidate = caseSensitive ? option : option.toLowerCase(Locale.ROOT);
            if (candidate.equals(value)) {
                return Optional.empty();
            }
            int distance = distance(value, candidate);
            if (distance < smallest) {
                match = caseSensitive ? candidate : inCaseOf(candidate, typed);
                smallest = distance;
            }
        }
        return Optional.ofNullable(match);
    }

    private static String inCaseOf(String value, String typed) {
        if (typed.equals(typed.toLowerCase(Locale.ROOT))) {
            return value.toLowerCase(Locale.ROOT);
        }
        if (typed.equals(typed.toUpperCase(Locale.ROOT))) {
            return value.toUpperCase(Locale.ROOT);
        }
        return value;
    }

    /** The Levenshtein distance: insertions, deletions and substitutions, one each. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
