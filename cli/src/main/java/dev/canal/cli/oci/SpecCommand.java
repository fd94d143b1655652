package dev.canal.cli.oci;

import dev.canal.runtime.oci.DefaultSpec;
import dev.canal.runtime.oci.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spec}: write a default config.json, as {@code runc spec} does. */
@Command(name = "spec", description = "Create a new specification file (config.json) in the bundle.")
final class SpecCommand implements Callable<Integer> {

    @Option(
            names = {"--bundle", "-b"},
            defaultValue = ".",
            description = "The bundle directory (default: the current one).")
    Path bundle;

    @Option(names = "--rootless", description = "A spec for a container run by an unprivileged user.")
    boolean rootless;

    @Override
    public Integer call() throws IOException {
        Path config = bundle.resolve("config.json");
        if (Files.exists(config)) {
            throw new IllegalStateException("File " + config + " exists. Remove it first");
        }
        Spec spec = rootless ? DefaultSpec.rootless(true, uid(), gid()) : DefaultSpec.create(true);
        Files.writeString(config, spec.toJson());
        return 0;
    }

    /** The owner of /proc/self is the effective uid of this process (proc(5)). */
    private static long uid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    private static long gid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
    }
}
