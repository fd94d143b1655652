package dev.canal.engine;

import java.util.Map;

/**
 * A {@code label} filter's value, as every docker listing and prune reads it: {@code KEY} (the
 * object has that label) or {@code KEY=VALUE} (with that value), moby's filters.Args.MatchKVList.
 */
public final class LabelFilter {

    private LabelFilter() {}

    /** Whether labels {@code objectLabels} match filter value {@code filter}. */
    public static boolean matches(Map<String, String> objectLabels, String filter) {
        int equals = filter.indexOf('=');
        return equals < 0
                ? objectLabels.containsKey(filter)
                : filter.substring(equals + 1).equals(objectLabels.get(filter.substring(0, equals)));
    }
}
