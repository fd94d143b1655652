package dev.canal.engine;

import dev.canal.runtime.oci.CapabilityNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

public final class Capabilities {
    private Capabilities() {}

    public static List<String> of(List<String> add, List<String> drop, boolean privileged) {
        if (privileged) {
            return all();
        }

        List<String> adding = normalize(add, "--cap-add");
        List<String> dropping = normalize(drop, "--cap-drop");
        ArrayList<String> result = new ArrayList<>();
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

    private static List<String> all() {
        long bounding;
        try {
            bounding = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("CapBnd:"))
                    .mapToLong(line -> Long.parseUnsignedLong(
                            line.substring("CapBnd:".length()).strip(), 16))
                    .findFirst()
                    .orElse(-1L);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/status: " + e.getMessage(), e);
        }

        return CapabilityNames.namesInKernelOrder().stream()
                .filter(name -> (bounding & 1L << CapabilityNames.number(name)) != 0L)
                .toList();
    }

    private static List<String> normalize(List<String> names, String option) {
        ArrayList<String> result = new ArrayList<>();

        for (String name : names) {
            String upper = name.toUpperCase(Locale.ROOT);
            String full = !upper.equals("ALL") && !upper.startsWith("CAP_") ? "CAP_" + upper : upper;
            if (!full.equals("ALL") && !CapabilityNames.names().contains(full)) {
                throw new IllegalArgumentException(option + " " + name + ": unknown capability");
            }

            result.add(full);
        }

        return result;
    }
}
