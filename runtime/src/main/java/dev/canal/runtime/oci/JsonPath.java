package dev.canal.runtime.oci;

import java.util.regex.Pattern;

/**
 * Writes where a value sits in config.json the way people write it: {@code process.user.uid},
 * {@code linux.namespaces[2].type}, and map keys that are not plain names in brackets,
 * {@code linux.sysctl["net.ipv4.ip_forward"]}.
 */
final class JsonPath {

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private JsonPath() {}

    /** The path to property {@code name} of the object at {@code parent} ("" for the top). */
    static String member(String parent, String name) {
        if (PLAIN_NAME.matcher(name).matches()) {
            return parent.isEmpty() ? name : parent + "." + name;
        }
        return parent + "[" + Quoted.of(name) + "]";
    }
}
