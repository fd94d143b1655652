package dev.canal.runtime.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where in the hierarchy a container's cgroup goes (config-linux.md#cgroups-path):
 *
 * <ul>
 *   <li>absent: {@code /canal/<container id>}, under a parent named for Canal;
 *   <li>absolute ({@code /podman/abc}): relative to the root of each hierarchy;
 *   <li>relative ({@code job/abc}): under the cgroup the runtime itself is in. Canal takes that
 *       from the {@code 0::} line of /proc/self/cgroup (the root when there is none) and uses the
 *       one resulting absolute path in every hierarchy, so a later process finds the same cgroup.
 * </ul>
 *
 * The result is always absolute, without "." or ".." components.
 */
public final class CgroupPath {

    /** The parent of every cgroup Canal names itself. */
    public static final String DEFAULT_PARENT = "/canal";

    private CgroupPath() {}

    /** The absolute cgroup path for {@code cgroupsPath} (may be null) of container {@code containerId}. */
    public static String resolve(String cgroupsPath, String containerId) {
        if (cgroupsPath == null || cgroupsPath.isEmpty()) {
            return checked(DEFAULT_PARENT + "/" + containerId, "container id \"" + containerId + "\"");
        }
        if (cgroupsPath.contains(":") && !cgroupsPath.startsWith("/")) {
            throw new IllegalArgumentException(
                    "linux.cgroupsPath: \"" + cgroupsPath
                            + "\" is a systemd slice:prefix:name path; Canal manages cgroups through the cgroup filesystem only");
        }
        String absolute = cgroupsPath.startsWith("/") ? cgroupsPath : ownCgroup() + "/" + cgroupsPath;
        return checked(absolute, "linux.cgroupsPath \"" + cgroupsPath + "\"");
    }

    private static String checked(String path, String origin) {
        var normalized = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                throw new IllegalArgumentException(origin + ": a cgroup path may not contain \"" + part + "\"");
            }
            if (!part.isEmpty()) {
                normalized.append('/').append(part);
            }
        }
        if (normalized.isEmpty()) {
            throw new IllegalArgumentException(origin + ": the root cgroup cannot be a container's cgroup");
        }
        return normalized.toString();
    }

    /** The runtime's own cgroup v2 path ("0::/user.slice" gives "/user.slice"), or "" at the root. */
    static String ownCgroup() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                if (line.startsWith("0::")) {
                    String own = line.substring(3);
                    return own.equals("/") ? "" : own;
                }
            }
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException("reading /proc/self/cgroup", e);
        }
    }

    /** The directory of absolute cgroup path {@code path} in the hierarchy mounted at {@code mount}. */
    public static Path in(Path mount, String path) {
        return mount.resolve(path.substring(1));
    }
}
