package dev.canal.runtime.oci;

import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;

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

    /** The path Jackson recorded while reading, from the top of the document to the failure. */
    static String of(List<JacksonException.Reference> references) {
        String path = "";
        for (JacksonException.Reference reference : references) {
            path = reference.getIndex() >= 0
                    ? path + "[" + reference.getIndex() + "]"
                    : member(path, reference.getPropertyName());
        }
        return path;
    }
}
