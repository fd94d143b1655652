package dev.canal.engine;

import dev.canal.runtime.oci.CapabilityNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The capabilities a container's process gets (capabilities(7)): docker's default set of 14,
 * minus {@code --cap-drop}, plus {@code --cap-add}; names with or without the CAP_ prefix, in
 * any case, and ALL for every one. {@code --privileged} gives every capability the engine itself
 * has in its bounding set: a container cannot be given more than its parent holds.
 */
public final class Capabilities {

    private static final String BOUNDING_SET = "CapBnd:";

    private Capabilities() {}

    public static List<String> of(List<String> add, List<String> drop, boolean privileged) {
        if (privileged) {
            return all();
        }
        List<String> adding = normalize(add, "--cap-add");
        List<String> dropping = normalize(drop, "--cap-drop");
        List<String> result = new ArrayList<>();
        // As in docker (moby's caps.TweakCapabilities): drops apply to the defaults, then adds
        // apply, so --cap-drop ALL --cap-add NET_ADMIN leaves only NET_ADMIN.
        if (!adding.contains("ALL")) {
            for (String capability : ContainerConfig.DOCKER_CAPABILITIES) {
                if (!dropping.contains("ALL") && !dropping.contains(capability)) {
                    result.add(capability);
                }
            }
        }
        for (String capability : adding.contains("ALL") ? all() : adding) {
            if (!capability.equals("ALL") && !result.contains(capability)) {
                result.add(capability);
            }
        }
        return result;
    }

    /** The capabilities of this process's bounding set (proc(5), CapBnd in /proc/self/status). */
    private static List<String> all() {
        long bounding;
        try {
            bounding = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith(BOUNDING_SET))
                    .mapToLong(line -> Long.parseUnsignedLong(
                            line.substring(BOUNDING_SET.length()).strip(), 16))
                    .findFirst()
                    .orElse(-1L);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/status: " + e.getMessage(), e);
        }
        return CapabilityNames.namesInKernelOrder().stream()
                .filter(name -> (bounding & 1L << CapabilityNames.number(name)) != 0)
                .toList();
    }

    /** CAP_-prefixed upper-case names; an unknown one is refused, naming its option. */
    private static List<String> normalize(List<String> names, String option) {
        List<String> result = new ArrayList<>();
        for (String name : names) {
            String upper = name.toUpperCase(Locale.ROOT);
            String full = upper.equals("ALL") || upper.startsWith("CAP_") ? upper : "CAP_" + upper;
            if (!full.equals("ALL") && !CapabilityNames.names().contains(full)) {
                throw new IllegalArgumentException(option + " " + name + ": unknown capability");
            }
            result.add(full);
        }
        return result;
    }
}
