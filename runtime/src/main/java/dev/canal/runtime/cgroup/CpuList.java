package dev.canal.runtime.cgroup;

import java.util.regex.Pattern;

/**
 * The "list format" of cpuset.cpus and cpuset.mems (cpuset(7)): comma-separated numbers and
 * ranges, "0-3,6,8-9".
 */
public final class CpuList {

    private static final Pattern LIST = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");

    private CpuList() {}

    /** Why {@code list} is not in list format, or null if it is. */
    public static String problem(String list) {
        if (!LIST.matcher(list).matches()) {
            return "\"" + list + "\" is not a list of numbers and ranges such as \"0-3,6\"";
        }
        for (String part : list.split(",")) {
            String[] range = part.split("-");
            if (range.length == 2 && Long.parseLong(range[0]) > Long.parseLong(range[1])) {
                return "\"" + list + "\": range " + part + " runs backwards";
            }
        }
        return null;
    }
}
