package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A mount namespace of the tests' own, with private propagation (unshare(1)), held open by a
 * sleeping process; commands enter it with nsenter(1). Whatever canal and canald mount in it
 * (containers' overlays) never reaches the machine's mount table, and goes with the namespace.
 */
final class PrivateMountNamespace implements AutoCloseable {

    private final Process holder;

    private PrivateMountNamespace(Process holder) {
        this.holder = holder;
    }

    /** Makes the namespace, returning once unshare has made it and exec'd its sleep. */
    static PrivateMountNamespace create() throws IOException, InterruptedException {
        Process holder = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sleep", "infinity")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        var namespace = new PrivateMountNamespace(holder);
        while (Files.readSymbolicLink(namespace.proc().resolve("ns/mnt"))
                .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")))) {
            assertTrue(holder.isAlive(), "unshare failed");
            Thread.sleep(10);
        }
        return namespace;
    }

    /** The process that holds the namespace open, for nsenter -t. */
    long pid() {
        return holder.pid();
    }

    private Path proc() {
        return Path.of("/proc", Long.toString(holder.pid()));
    }

    /** {@code command} prefixed with what enters the namespace. */
    List<String> entering(List<String> command) {
        var entering = new ArrayList<>(List.of("nsenter", "-t", Long.toString(holder.pid()), "-m", "--"));
        entering.addAll(command);
        return entering;
    }

    /** Runs {@code command} in the namespace to completion, as {@link CanalHome#run(List, Map, int)}. */
    CanalHome.Result run(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        return CanalHome.run(entering(command), environment, 120);
    }

    /** The namespace's mount table, as mountinfo in proc(5) lists it. */
    String mountinfo() throws IOException {
        return Files.readString(proc().resolve("mountinfo"));
    }

    @Override
    public void close() throws InterruptedException {
        holder.destroyForcibly().waitFor();
    }
}
