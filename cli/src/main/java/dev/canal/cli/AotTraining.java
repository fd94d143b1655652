package dev.canal.cli;

import dev.canal.cli.oci.CanalOciCommand;
import dev.canal.cli.oci.QuickCommands;
import dev.canal.runtime.container.ProcessIdentity;
import dev.canal.runtime.sys.Signals;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The training runs for the JDK's ahead-of-time caches (JEP 483/514), run at package time with
 * {@code -XX:AOTCacheOutput}. Each executes the commands of one cache, in one JVM, so the classes
 * they load and link are stored in the cache and a later start maps them instead of loading them
 * again. JDK 25 maps and loads every class of a cache at start whether the command uses it or
 * not, so each command maps the smallest cache trained on its own path (docs/start-time.md):
 *
 * <ul>
 *   <li>{@code state}: what bin/canal-oci maps for {@code state} ({@link QuickCommands}), the
 *       command engines call most; it needs no downcall, so none of FFM's classes are in it.
 *   <li>{@code kill}: for {@code kill}; its SIGKILL and SIGTERM make no downcall either.
 *   <li>{@code quick}: for {@code delete}, {@code --version} and {@code kill} with other signals.
 *   <li>{@code create}: for {@code create}, {@code start}, {@code run} and {@code exec}.
 *   <li>{@code run}: for canal's {@code run}, on an image another JVM imported.
 *   <li>{@code list}: for canal's {@code ps} and {@code images}, the same way.
 *   <li>no argument: the full cache, for canal's other commands and canal-oci's others (picocli).
 * </ul>
 *
 * <p>Real containers (created, started, run, exec'd into, killed and deleted under a temporary
 * {@code --root}, from the static busybox) need root and /bin/busybox, as a CI build has. Where
 * they cannot run the training says so on standard error and trains what it can without them;
 * a step that fails is reported the same way and the others go on: the cache then misses that
 * path, and the commands are only slower.
 */
public final class AotTraining {

    private static final PrintStream REPORT = System.err;

    private AotTraining() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        String cache = args.length == 1 ? args[0] : "full";
        Path work = Files.createTempDirectory("canal-aot-training");
        PrintStream out = System.out;
        PrintStream err = System.err;
        var sink = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(sink);
        System.setErr(sink);
        try {
            switch (cache) {
                case "state" -> {
                    trainState(work);
                    trainStateOfARealContainer(work);
                }
                case "kill" -> {
                    trainKill(work);
                    trainKillOfARealContainer(work);
                }
                case "quick" -> {
                    trainQuickCommands(work);
                    trainQuickCommandsOnARealContainer(work);
                }
                case "create" -> trainCreation(work);
                case "run" -> trainCanalRun(work);
                case "list" -> trainCanalListings(work);
                default -> {
                    for (String[] command : new String[][] {{"--version"}, {"--help"}, {}}) {
                        train(CanalCommand.commandLine(command), command);
                        train(new CommandLine(new CanalOciCommand()), command);
                    }
                    trainQuickCommands(work);
                    trainCanalCommands(work);
                }
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            deleteTree(work);
        }
    }

    private static void train(CommandLine commandLine, String[] args) {
        var sink = new PrintWriter(new StringWriter());
        commandLine.setOut(sink).setErr(sink).execute(args);
    }

    /**
     * A made-up container {@code id} under a new {@code --root} in {@code work}, returned: its
     * recorded process is this JVM with another start time, so it counts as stopped and nothing
     * is signalled, and its cgroup path names no cgroup, so delete removes nothing but its state
     * directory.
     */
    private static String madeUpContainer(Path work, String id) throws IOException {
        return madeUpContainer(work, id, ProcessHandle.current().pid(), 0);
    }

    /** {@link #madeUpContainer(Path, String)} whose recorded process is {@code pid}, started at {@code startTime}. */
    private static String madeUpContainer(Path work, String id, long pid, long startTime) throws IOException {
        Path root = Files.createDirectory(work.resolve("made-up-" + id));
        // StoredState's fields, as canal-oci create writes them.
        Files.writeString(
                Files.createDirectory(root.resolve(id)).resolve("state.json"),
                "{\"id\":\"" + id + "\",\"pid\":" + pid + ",\"pidStartTime\":" + startTime + ",\"bundle\":\""
                        + root
                        + "\",\"rootfs\":\"" + root + "/rootfs\",\"created\":\"" + Instant.now()
                        + "\",\"annotations\":{},\"engine\":\"clone\",\"cgroupPath\":\"/" + root.getFileName() + "\"}");
        return root.toString();
    }

    /** {@code canal-oci state} of the made-up container, and of an unknown one (the error report). */
    private static void trainState(Path work) throws IOException {
        String r = madeUpContainer(work, "aot-state");
        require(QuickCommands.run(new String[] {"--root", r, "state", "aot-state"}), "state");
        QuickCommands.run(new String[] {"--root", r, "state", "no-such-container"});
    }

    /**
     * {@code canal-oci delete} as containerd's shim and conmon call it, and {@code kill} with a
     * signal other than SIGKILL and SIGTERM, on the made-up container; a
     * state of it first checks that the made-up state.json still reads. An unknown container
     * trains the error report.
     */
    private static void trainQuickCommands(Path work) throws IOException {
        String id = "aot-training";
        String r = madeUpContainer(work, id);
        String log = Path.of(r, "log.json").toString();
        QuickCommands.run(new String[] {"--version"});
        require(QuickCommands.run(new String[] {"--root", r, "state", id}), "state");
        QuickCommands.run(new String[] {"--root", r, "--log", log, "--log-format", "json", "delete", "no-such"});
        // kill with another signal than SIGKILL and SIGTERM takes the lock; bin/canal-oci maps this cache for it.
        QuickCommands.run(new String[] {"--root", r, "kill", id, "CONT"});
        QuickCommands.run(new String[] {"--root", r, "kill", "--all", id, "9"});
        // Not required to succeed: a build machine may have no cgroup hierarchy mounted.
        QuickCommands.run(new String[] {"--root", r, "delete", "--force", id});
        // The made-up container is never signalled; signal 0 links the same kill(2) downcall
        // that delete --force of a created container makes, and sends nothing (kill(2): it only
        // checks that the process exists).
        Signals.kill((int) ProcessHandle.current().pid(), 0);
    }

    /**
     * delete of a real container, created (and killed) by other JVMs, as engines do (a canal-oci
     * process per command), so that create's classes stay out of this cache: delete of a stopped
     * one, and delete --force of a created one, which kills it first, after a kill with SIGCONT.
     */
    private static void trainQuickCommandsOnARealContainer(Path work) throws IOException, InterruptedException {
        if (skipped("canal-oci delete of a real container")) {
            return;
        }
        String r = work.resolve("root").toString();
        String bundle = sleepingBundle(work);
        if (inAnotherJvm("create", "--root", r, "create", "--bundle", bundle, "aot-stopped")) {
            inAnotherJvm("kill", "--root", r, "kill", "aot-stopped", "KILL");
            step("delete", "--root", r, "delete", "aot-stopped");
        }
        if (inAnotherJvm("create", "--root", r, "create", "--bundle", bundle, "aot-created")) {
            step("kill", "--root", r, "kill", "aot-created", "CONT");
            step("delete --force", "--root", r, "delete", "--force", "aot-created");
        }
    }

    /**
     * {@code canal-oci kill} with SIGTERM and SIGKILL, as engines send them, without a downcall:
     * made-up containers whose processes are real ones (sleep(1), children of this JVM), which
     * the signals end. An unknown container and a bad signal train the error report.
     */
    private static void trainKill(Path work) throws IOException, InterruptedException {
        String[][] signals = {{"aot-term", "TERM"}, {"aot-kill", "9"}};
        for (String[] container : signals) {
            Process sleeping = new ProcessBuilder("sleep", "600").start();
            try {
                String r = madeUpContainer(
                        work, container[0], sleeping.pid(), ProcessIdentity.startTime((int) sleeping.pid()));
                require(QuickCommands.run(new String[] {"--root", r, "kill", container[0], container[1]}), "kill");
                QuickCommands.run(new String[] {"--root", r, "kill", "no-such-container", "KILL"});
                QuickCommands.run(new String[] {"--root", r, "kill", container[0], "NOSUCHSIGNAL"});
                sleeping.waitFor();
            } finally {
                sleeping.destroyForcibly();
            }
        }
    }

    /** kill of a real container, created and deleted by other JVMs. */
    private static void trainKillOfARealContainer(Path work) throws IOException, InterruptedException {
        if (skipped("canal-oci kill of a real container")) {
            return;
        }
        String r = work.resolve("root").toString();
        String id = "aot-kill";
        if (!inAnotherJvm("create", "--root", r, "create", "--bundle", sleepingBundle(work), id)) {
            return;
        }
        try {
            step("kill", "--root", r, "kill", id, "KILL");
        } finally {
            inAnotherJvm("delete", "--root", r, "delete", "--force", id);
        }
    }

    /**
     * state of a real container, created (held) and then running: the running one's status reads
     * its cgroup. The container is created, started and deleted by other JVMs, whose classes
     * stay out of this cache.
     */
    private static void trainStateOfARealContainer(Path work) throws IOException, InterruptedException {
        if (skipped("canal-oci state of a real container")) {
            return;
        }
        String r = work.resolve("root").toString();
        String id = "aot-state";
        if (!inAnotherJvm("create", "--root", r, "create", "--bundle", sleepingBundle(work), id)) {
            return;
        }
        try {
            step("state", "--root", r, "state", id);
            if (inAnotherJvm("start", "--root", r, "start", id)) {
                step("state", "--root", r, "state", id);
            }
        } finally {
            inAnotherJvm("delete", "--root", r, "delete", "--force", id);
        }
    }

    /** A bundle of busybox's {@code sleep 600} in {@code work}, as a path. */
    private static String sleepingBundle(Path work) throws IOException {
        Path rootfs = TrainingBundle.rootfs(work.resolve("rootfs"));
        return TrainingBundle.minimal(work.resolve("sleeping"), rootfs, "sleep", "600")
                .toString();
    }

    /**
     * canal-oci with {@code args} in a JVM of its own, which the cache being trained does not
     * see; returns whether it succeeded, and reports on standard error when not.
     */
    private static boolean inAnotherJvm(String name, String... args) throws IOException, InterruptedException {
        return inAnotherJvm("canal-oci " + name, CanalOciCommand.class, args);
    }

    /** {@code main} with {@code args} in a JVM of its own, as {@link #inAnotherJvm(String, String...)}. */
    private static boolean inAnotherJvm(String name, Class<?> main, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (process.waitFor() != 0) {
            REPORT.println("AOT training: " + name + " failed (status " + process.exitValue()
                    + "): the steps that need it are not trained");
            return false;
        }
        return true;
    }

    /**
     * create, start, state, delete, run, run --detach, exec --process and kill of real busybox
     * containers, on runc spec's config and on canal-oci spec's (the two ways a container is
     * spawned, for now: the thread engine and the clone engine).
     */
    private static void trainCreation(Path work) throws IOException, InterruptedException {
        String r = work.resolve("root").toString();
        Path bundles = work.resolve("bundles");
        if (!inAnotherJvm("writing the bundles' configs", TrainingBundle.class, bundles.toString())) {
            return;
        }
        // A create refused after reading and checking its whole config: the config's path and the
        // error report, with or without root.
        String refused = bundles.resolve(TrainingBundle.REFUSED).toString();
        QuickCommands.run(new String[] {"--root", r, "create", "--bundle", refused, "x"});
        if (skipped("canal-oci create, start, run and exec of real containers")) {
            return;
        }
        TrainingBundle.rootfs(TrainingBundle.rootfsIn(bundles));
        Path process = TrainingBundle.processFile(work.resolve("process.json"));
        for (boolean asRuncSpec : new boolean[] {true, false}) {
            String variant = asRuncSpec ? "runc-spec" : "canal-spec";
            Path quick = bundles.resolve(TrainingBundle.named(asRuncSpec, true));
            Path sleeping = bundles.resolve(TrainingBundle.named(asRuncSpec, false));
            String b = quick.toString();
            String created = variant + "-created";
            String detached = variant + "-detached";
            try {
                String pidFile = work.resolve(created + ".pid").toString();
                step("create", "--root", r, "create", "--bundle", b, "--pid-file", pidFile, created);
                step("state", "--root", r, "state", created);
                step("start", "--root", r, "start", created);
                step("run", "--root", r, "run", "--bundle", b, variant + "-run");
                step("run --detach", "--root", r, "run", "--detach", "--bundle", sleeping.toString(), detached);
                step("exec", "--root", r, "exec", "--process", process.toString(), detached);
                step("kill", "--root", r, "kill", detached, "KILL");
            } finally {
                step("delete", "--root", r, "delete", "--force", created);
                step("delete", "--root", r, "delete", "--force", detached);
            }
        }
    }

    /**
     * canal's run, ps and images on a busybox image imported into a temporary store: what the
     * full cache adds for the Docker-style commands.
     */
    private static void trainCanalCommands(Path work) throws IOException, InterruptedException {
        if (skipped("canal import, run, ps and images")) {
            return;
        }
        Optional<Path> tar = busyboxTar(work);
        if (tar.isEmpty()) {
            return;
        }
        String[] store = canalStore(work);
        canal(store, "import", tar.get().toString(), "busybox");
        canal(store, "run", "--rm", "busybox", "true");
        canal(store, "ps", "--all");
        canal(store, "images");
        canal(store, "rmi", "busybox");
    }

    /**
     * canal run as bin/canal runs it, on busybox imported into a temporary store by another JVM,
     * so that import's classes stay out of this cache.
     */
    private static void trainCanalRun(Path work) throws IOException, InterruptedException {
        String[] store = canalStore(work);
        if (skipped("canal run of a real container")) {
            // Refused for want of the image, not pulled: the command line, the engine and the
            // image store's path up to there.
            String[] missing = {store[0], store[1], store[2], store[3], "run", "--pull", "never", "--rm", "x", "true"};
            CanalCommand.commandLine(missing).execute(missing);
            return;
        }
        if (importedBusybox(work, store)) {
            canal(store, "run", "--rm", "busybox", "true");
        }
    }

    /** canal ps and images as bin/canal runs them, on busybox imported by another JVM where it can be. */
    private static void trainCanalListings(Path work) throws IOException, InterruptedException {
        String[] store = canalStore(work);
        if (!skipped("canal images of an imported image")) {
            importedBusybox(work, store);
        }
        canal(store, "ps", "--all");
        canal(store, "ps");
        canal(store, "images");
    }

    /** Whether canal import of busybox into {@code store}, in another JVM, succeeded (reported if not). */
    private static boolean importedBusybox(Path work, String[] store) throws IOException, InterruptedException {
        Optional<Path> tar = busyboxTar(work);
        return tar.isPresent()
                && inAnotherJvm(
                        "canal import",
                        CanalCommand.class,
                        store[0],
                        store[1],
                        store[2],
                        store[3],
                        "import",
                        tar.get().toString(),
                        "busybox");
    }

    /** canal's store options: a data root and an exec root in {@code work}. */
    private static String[] canalStore(Path work) {
        return new String[] {
            "--root",
            work.resolve("store").toString(),
            "--state",
            work.resolve("state").toString()
        };
    }

    /** A tar archive of a busybox root filesystem in {@code work}, what canal import reads; empty, reported, if tar(1) failed. */
    private static Optional<Path> busyboxTar(Path work) throws IOException, InterruptedException {
        Path rootfs = TrainingBundle.rootfs(work.resolve("canal-rootfs"));
        Path tar = work.resolve("busybox.tar");
        // Build time, not the runtime: tar(1) packs the root filesystem canal import reads.
        var pack = new ProcessBuilder("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (pack.waitFor() != 0) {
            REPORT.println("AOT training: tar(1) failed: canal's commands not trained");
            return Optional.empty();
        }
        return Optional.of(tar);
    }

    /** One canal command with the store options; a failure is reported. */
    private static void canal(String[] store, String... args) {
        String[] all = new String[store.length + args.length];
        System.arraycopy(store, 0, all, 0, store.length);
        System.arraycopy(args, 0, all, store.length, args.length);
        int status = CanalCommand.commandLine(all).execute(all);
        if (status != 0) {
            REPORT.println("AOT training: canal " + args[0] + " failed (status " + status + "): not trained");
        }
    }

    /** One canal-oci command through QuickCommands, as bin/canal-oci runs it; a failure is reported. */
    private static void step(String name, String... args) {
        OptionalInt status = QuickCommands.run(args);
        if (status.isEmpty() || status.getAsInt() != 0) {
            REPORT.println("AOT training: canal-oci " + name + " failed (" + status + "): the cache misses its path");
        }
    }

    /** True, with a line on standard error saying why, if real containers cannot be trained here. */
    private static boolean skipped(String what) throws IOException {
        Optional<String> why = TrainingBundle.whyNot();
        why.ifPresent(reason -> REPORT.println("AOT training: " + what + " skipped: " + reason));
        return why.isPresent();
    }

    /**
     * A training command that must succeed: if {@code state} of the made-up container fails, its
     * state.json no longer matches StoredState, and the cache would miss the commands' path.
     */
    private static void require(OptionalInt status, String command) {
        if (status.isEmpty() || status.getAsInt() != 0) {
            throw new IllegalStateException(
                    "AOT training: canal-oci " + command + " of the made-up container failed: " + status);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
