package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.canal.runtime.seccomp.SeccompCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * bin/canal on a data root and an exec root of a test's own, every command run in one
 * {@link PrivateMountNamespace}, with busybox imported as an image: the set-up of the tests that
 * drive canal as a user does. After each test, {@link #assertNothingLeft()} checks that the
 * commands left no container, mount or monitor behind.
 */
final class PrivateCanal implements AutoCloseable {

    private final Path store;
    private final Path execRoot;
    private final PrivateMountNamespace namespace;

    private PrivateCanal(Path store, Path execRoot, PrivateMountNamespace namespace) {
        this.store = store;
        this.execRoot = execRoot;
        this.namespace = namespace;
    }

    /** Roots under {@code work}, a new namespace, and busybox imported as {@code image}. */
    static PrivateCanal withBusybox(Path work, String image) throws Exception {
        var canal = new PrivateCanal(work.resolve("store"), work.resolve("exec"), PrivateMountNamespace.create());
        canal.ok("import", BusyboxTar.create(work).toString(), image);
        return canal;
    }

    /** Runs {@code bin/canal args...} in the namespace. */
    CanalHome.Result run(String... args) throws Exception {
        return namespace.run(command(store, execRoot, args), Map.of());
    }

    /** The command line that runs {@code bin/canal args...} in the namespace, for a process of a test's own. */
    List<String> commandLine(String... args) {
        return namespace.entering(command(store, execRoot, args));
    }

    /** A command that must succeed; its standard output. */
    String ok(String... args) throws Exception {
        var result = run(args);
        assertEquals(0, result.exitCode(), String.join(" ", args) + ": " + result.stdout() + result.stderr());
        return result.stdout();
    }

    /** The data root: images, layers and containers. */
    Path store() {
        return store;
    }

    PrivateMountNamespace namespace() {
        return namespace;
    }

    void assertNothingLeft() throws IOException {
        assertNothingLeft(store, execRoot, namespace);
    }

    @Override
    public void close() throws InterruptedException {
        namespace.close();
    }

    /** The command line of bin/canal on {@code dataRoot} and {@code execRoot}. */
    static List<String> command(Path dataRoot, Path execRoot, String... args) {
        var command = new ArrayList<>(List.of(
                CanalHome.ROOT.resolve("bin/canal").toString(),
                "--data-root",
                dataRoot.toString(),
                "--exec-root",
                execRoot.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** No container directory, name, runtime state, stream, mount or canal monitor on these roots. */
    static void assertNothingLeft(Path store, Path execRoot, PrivateMountNamespace namespace) throws IOException {
        assertEquals(List.of(), list(store.resolve("containers")), "container directories");
        assertEquals(List.of(), list(store.resolve("container-names")), "container names");
        assertEquals(
                List.of(),
                list(execRoot.resolve("runtime")).stream()
                        .filter(name -> !name.equals(SeccompCache.STATE_ROOT_ENTRY))
                        .toList(),
                "runtime state");
        assertEquals(List.of(), list(execRoot.resolve("io")), "containers' streams");
        assertFalse(namespace.mountinfo().contains(store.toString()), "a mount under the store");
        assertEquals(List.of(), monitorsLeft(store), "monitors left behind");
    }

    private static List<String> list(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(entry -> entry.getFileName().toString()).toList();
        }
    }

    /**
     * The command lines of the canal monitors on this store (their arguments name its data root)
     * that have not ended within a minute: one ends soon after its container's end is recorded.
     */
    private static List<String> monitorsLeft(Path store) {
        return ProcessHandle.allProcesses()
                .filter(process -> {
                    String arguments =
                            String.join(" ", process.info().arguments().orElse(new String[0]));
                    return arguments.contains(store.toString()) && arguments.contains(" monitor ");
                })
                .filter(monitor -> {
                    try {
                        monitor.onExit().get(60, TimeUnit.SECONDS);
                        return false;
                    } catch (Exception stillThere) {
                        return true;
                    }
                })
                .map(monitor ->
                        monitor.pid() + " " + monitor.info().commandLine().orElse("?"))
                .toList();
    }
}
