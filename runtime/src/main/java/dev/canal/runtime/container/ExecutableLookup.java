package dev.canal.runtime.container;

import dev.canal.runtime.oci.Quoted;
import dev.canal.runtime.rootfs.RootDirectory;
import dev.canal.runtime.sys.SyscallException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the program a container runs, as execvp(3) and runc do, but in the container's root
 * filesystem and with the container's PATH, not the runtime's: an {@code args[0]} with a slash
 * is used as it is; a bare name is searched in each directory of PATH.
 */
final class ExecutableLookup {

    /** The PATH runc and Docker use when the spec's environment has none. */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private ExecutableLookup() {}

    /**
     * The absolute path, inside the container, of the program {@code name} names.
     *
     * @throws ContainerException {@code process.args[0]: "NAME": executable file not found in $PATH}
     */
    static String find(RootDirectory root, String name, List<String> env, String cwd) {
        try {
            if (name.contains("/")) {
                String path = name.startsWith("/") ? name : (cwd.endsWith("/") ? cwd : cwd + "/") + name;
                if (isExecutableFile(root, path)) {
                    return path;
                }
                throw new ContainerException(
                        "process.args[0]: " + Quoted.of(name) + ": no such executable file in the container");
            }
            for (String directory : pathOf(env).split(":")) {
                String candidate = (directory.isEmpty() ? "." : directory) + "/" + name;
                if (candidate.startsWith("/") && isExecutableFile(root, candidate)) {
                    return candidate;
                }
            }
            throw new ContainerException(
                    "process.args[0]: " + Quoted.of(name) + ": executable file not found in $PATH");
        } catch (SyscallException e) {
            // A path the kernel refuses to look up at all, such as one with a name over NAME_MAX.
            throw new ContainerException("process.args[0]: " + Quoted.of(name) + ": " + e.getMessage(), e);
        }
    }

    private static String pathOf(List<String> env) {
        return env.stream()
                .filter(variable -> variable.startsWith("PATH="))
                .reduce((first, last) -> last)
                .map(variable -> variable.substring(5))
                .orElse(DEFAULT_PATH);
    }

    /** Resolved inside the root, then checked through the descriptor's /proc link. */
    private static boolean isExecutableFile(RootDirectory root, String path) {
        if (!root.exists(path)) {
            return false;
        }
        try (var file = root.resolve(path)) {
            Path resolved = Path.of(RootDirectory.procPath(file));
            return Files.isRegularFile(resolved) && Files.isExecutable(resolved);
        }
    }
}
