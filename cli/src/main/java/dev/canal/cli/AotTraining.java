package dev.canal.cli;

import dev.canal.cli.oci.CanalOciCommand;
import dev.canal.cli.oci.QuickCommands;
import dev.canal.runtime.container.ProcessIdentity;
import dev.canal.runtime.container.StateLock;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
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
 *   <li>{@code delete}: for {@code delete}; of a stopped container (what engines delete: they kill
 *       and wait first) it makes no downcall either, since the lock is the JDK's
 *       ({@link dev.canal.runtime.container.StateLock}).
 *   <li>{@code quick}: for {@code --version} and {@code kill} with other signals.
 *   <li>{@code create}: for {@code create}, {@code start}, {@code run} and {@code exec}.
 *   <li>{@code run}: for canal's {@code run}, on an image another JVM imported.
 *   <li>{@code list}: for canal's {@code ps} and {@code images}, the same way.
 *   <li>no argument: the full cache, for canal's other commands and canal-oci's others (picocli).
 * </ul>
 *
 * <p>What the training JVM itself does is in the cache too, and loaded at every start: so the
 * quick caches ({@code state}, {@code kill}, {@code delete}, {@code quick}) are trained by an
 * {@link AotReplay} JVM that runs their commands alone, on containers this JVM made ready; and
 * no SecureRandom for a temporary directory, no date formatting and no streams on the way of the
 * others.
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

    /**
     * Trains the cache {@code args[0]} (the full one without arguments). A quick cache
     * ({@code state}, {@code kill}, {@code delete}, {@code quick}) is trained by an {@link AotReplay}
     * JVM that this one starts after making its containers ready: {@code args[1]} is the cache to
     * write, {@code args[2]} the JVM options file (bin/lib/jvm.options) it is started with. The
     * others are trained in this JVM, started with {@code -XX:AOTCacheOutput}.
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        String cache = args.length >= 1 ? args[0] : "full";
        // Not Files.createTempDirectory: its SecureRandom would be some 50 classes more in a cache.
        // mkdir(2) of a new name, which fails if anything (a symbolic link, say) is there.
        Path work = Files.createDirectory(Path.of(
                System.getProperty("java.io.tmpdir"),
                "canal-aot-" + cache + "-" + ProcessHandle.current().pid()));
        PrintStream out = System.out;
        PrintStream err = System.err;
        var sink = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(sink);
        System.setErr(sink);
        var plan = new Plan();
        try {
            switch (cache) {
                case "state", "kill", "delete", "quick" -> {
                    switch (cache) {
                        case "state" -> {
                            planState(work, plan);
                            planStateOfARealContainer(work, plan);
                        }
                        case "kill" -> {
                            planKill(work, plan);
                            planKillOfARealContainer(work, plan);
                        }
                        case "delete" -> {
                            planDelete(work, plan);
                            planDeleteOfARealContainer(work, plan);
                        }
                        default -> {
                            planQuickCommands(work, plan);
                            planQuickCommandsOnARealContainer(work, plan);
                        }
                    }
                    replay(cache, plan, args[1], args[2], work);
                }
                case "create" -> trainCreation(work);
                case "run" -> trainCanalRun(work);
                case "list" -> trainCanalListings(work);
                default -> {
                    for (String[] command : new String[][] {{"--version"}, {"--help"}, {}}) {
                        train(CanalCommand.commandLine(command), command);
                        train(new CommandLine(new CanalOciCommand()), command);
                    }
                    planQuickCommands(work, plan);
                    planDelete(work, plan);
                    if (!AotReplay.run(plan.lines)) {
                        throw new IllegalStateException("AOT training: a command on a made-up container failed");
                    }
                    trainCanalCommands(work);
                }
            }
        } finally {
            plan.cleanUp();
            System.setOut(out);
            System.setErr(err);
            deleteTree(work.toFile());
        }
    }

    /**
     * The canal-oci commands a quick cache is trained on ({@link AotReplay}'s lines), and what to
     * undo after them: the containers they act on are made before, by this JVM or others.
     */
    private static final class Plan {

        /** Something to undo once the commands have run. */
        private interface Cleanup {
            void run() throws IOException, InterruptedException;
        }

        final List<String> lines = new ArrayList<>();
        private final List<Cleanup> cleanups = new ArrayList<>();

        /** A command that must succeed. */
        void required(String... args) {
            lines.add(AotReplay.REQUIRED + String.join("\t", args));
        }

        /** A command whose failure is reported: the cache then misses its path. */
        void reported(String... args) {
            lines.add(AotReplay.REPORTED + String.join("\t", args));
        }

        /** A command that is expected to fail, or may (an unknown container, no cgroups here). */
        void mayFail(String... args) {
            lines.add(String.join("\t", args));
        }

        void afterwards(Cleanup cleanup) {
            cleanups.add(cleanup);
        }

        /** A sleep(1) of this JVM's, killed afterwards: a live process for a made-up container. */
        Process sleeping() throws IOException {
            Process sleeping = new ProcessBuilder("sleep", "600").start();
            afterwards(() -> {
                sleeping.destroyForcibly();
                sleeping.waitFor();
            });
            return sleeping;
        }

        void cleanUp() throws IOException, InterruptedException {
            for (Cleanup cleanup : cleanups.reversed()) {
                cleanup.run();
            }
        }
    }

    /**
     * Writes {@code plan}'s commands to a file in {@code work} and runs them in an
     * {@link AotReplay} JVM that writes the cache {@code output}, started with the options file
     * {@code jvmOptions}. Throws if a required command failed.
     */
    private static void replay(String cache, Plan plan, String output, String jvmOptions, Path work)
            throws IOException, InterruptedException {
        Path commands = Files.write(work.resolve("commands"), plan.lines);
        var replay = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:AOTCacheOutput=" + output,
                        "-Xlog:aot=error,cds=error",
                        "@" + jvmOptions,
                        "-cp",
                        System.getProperty("java.class.path"),
                        AotReplay.class.getName(),
                        commands.toString())
                .inheritIO()
                .start();
        if (replay.waitFor() != 0) {
            throw new IllegalStateException(
                    "AOT training: the " + cache + " cache's commands failed (status " + replay.exitValue() + ")");
        }
    }

    private static void train(CommandLine commandLine, String[] args) {
        var sink = new PrintWriter(new StringWriter());
        commandLine.setOut(sink).setErr(sink).execute(args);
    }

    /**
     * A made-up container {@code id} under a new {@code --root} in {@code work}, returned, with
     * the state.json and the lock file create makes: its recorded process is this JVM with
     * another start time, so it counts as stopped and nothing is signalled, and its cgroup path
     * names no cgroup, so delete removes nothing but its state directory.
     */
    private static String madeUpContainer(Path work, String id) throws IOException {
        return madeUpContainer(work, id, ProcessHandle.current().pid(), 0);
    }

    /** {@link #madeUpContainer(Path, String)} whose recorded process is {@code pid}, started at {@code startTime}. */
    private static String madeUpContainer(Path work, String id, long pid, long startTime) throws IOException {
        Path root = Files.createDirectory(work.resolve("made-up-" + id));
        Path directory = Files.createDirectory(root.resolve(id));
        Files.createFile(directory.resolve(StateLock.FILE));
        // StoredState's fields, as canal-oci create writes them; a fixed creation time, as
        // formatting the time now would put java.time's formatters in the cache.
        Files.writeString(
                directory.resolve("state.json"),
                "{\"id\":\"" + id + "\",\"pid\":" + pid + ",\"pidStartTime\":" + startTime + ",\"bundle\":\""
                        + root
                        + "\",\"rootfs\":\"" + root + "/rootfs\",\"created\":\"2026-01-01T00:00:00Z"
                        + "\",\"annotations\":{},\"engine\":\"clone\",\"cgroupPath\":\"/" + root.getFileName() + "\"}");
        return root.toString();
    }

    /** {@link #madeUpContainer(Path, String)} whose recorded process is {@code process}, alive. */
    private static String madeUpContainer(Path work, String id, Process process) throws IOException {
        return madeUpContainer(work, id, process.pid(), ProcessIdentity.startTime((int) process.pid()));
    }

    /**
     * {@code canal-oci state} of made-up containers, stopped and, with a sleep(1) as their live
     * process, created (held) and running, and of an unknown one (the error report). A class the
     * cache misses is loaded from canal.jar, which opens the jar: some 20 ms of a 50 ms state
     * (docs/start-time.md), so the live statuses are trained even where real containers are not.
     */
    private static void planState(Path work, Plan plan) throws IOException {
        String r = madeUpContainer(work, "aot-state");
        plan.required("--root", r, "state", "aot-state");
        plan.mayFail("--root", r, "state", "no-such-container");
        String created = madeUpContainer(work, "aot-state-created", plan.sleeping());
        // What create leaves until start: the held marker (HeldMarker's file).
        Files.createFile(Path.of(created, "aot-state-created", "held"));
        plan.required("--root", created, "state", "aot-state-created");
        // Running: its status reads the made-up cgroup, which does not exist, so this one fails.
        String running = madeUpContainer(work, "aot-state-running", plan.sleeping());
        plan.mayFail("--root", running, "state", "aot-state-running");
    }

    /**
     * {@code canal-oci --version}, and {@code kill} with a signal other than SIGKILL and SIGTERM,
     * which takes the lock and calls kill(2) through FFM: on a made-up created container whose
     * process is a sleep(1) (SIGCONT leaves it be), and with --all on a stopped one (refused:
     * never --all on a live made-up container, whose pid namespace is the host's). A state of the
     * first checks that the made-up state.json still reads.
     */
    private static void planQuickCommands(Path work, Plan plan) throws IOException {
        String id = "aot-training";
        String r = madeUpContainer(work, id, plan.sleeping());
        Files.createFile(Path.of(r, id, "held"));
        plan.mayFail("--version");
        plan.required("--root", r, "state", id);
        plan.reported("--root", r, "kill", id, "CONT");
        String stopped = madeUpContainer(work, "aot-training-stopped");
        plan.mayFail("--root", stopped, "kill", "--all", "aot-training-stopped", "9");
    }

    /** kill with SIGCONT of a real container, created and deleted by other JVMs. */
    private static void planQuickCommandsOnARealContainer(Path work, Plan plan)
            throws IOException, InterruptedException {
        if (skipped("canal-oci kill CONT of a real container")) {
            return;
        }
        String r = work.resolve("root").toString();
        if (realContainer(work, plan, r, "aot-created")) {
            plan.reported("--root", r, "kill", "aot-created", "CONT");
        }
    }

    /**
     * {@code canal-oci delete} as containerd's shim and conmon call it, of the made-up stopped
     * container, with and without --force; an unknown container trains the error report (as
     * json, for --log).
     */
    private static void planDelete(Path work, Plan plan) throws IOException {
        String r = madeUpContainer(work, "aot-delete");
        String log = Path.of(r, "log.json").toString();
        plan.mayFail("--root", r, "--log", log, "--log-format", "json", "delete", "no-such");
        // Not required to succeed: a build machine may have no cgroup hierarchy mounted.
        plan.mayFail("--root", r, "delete", "aot-delete");
        String forced = madeUpContainer(work, "aot-delete-force");
        plan.mayFail("--root", forced, "delete", "--force", "aot-delete-force");
    }

    /**
     * delete of a real container that other JVMs created and killed, as engines do (a canal-oci
     * process per command), so that create's classes stay out of this cache.
     */
    private static void planDeleteOfARealContainer(Path work, Plan plan) throws IOException, InterruptedException {
        if (skipped("canal-oci delete of a real container")) {
            return;
        }
        String r = work.resolve("root").toString();
        if (realContainer(work, plan, r, "aot-stopped")
                && inAnotherJvm("kill", "--root", r, "kill", "aot-stopped", "KILL")) {
            plan.reported("--root", r, "delete", "--force", "aot-stopped");
        }
    }

    /**
     * {@code canal-oci kill} with SIGTERM and SIGKILL, as engines send them, without a downcall:
     * made-up containers whose processes are real ones (sleep(1)), which the signals end. An
     * unknown container and a bad signal train the error report.
     */
    private static void planKill(Path work, Plan plan) throws IOException {
        for (String[] container : new String[][] {{"aot-term", "TERM"}, {"aot-kill", "9"}}) {
            String r = madeUpContainer(work, container[0], plan.sleeping());
            plan.required("--root", r, "kill", container[0], container[1]);
            plan.mayFail("--root", r, "kill", "no-such-container", "KILL");
            plan.mayFail("--root", r, "kill", container[0], "NOSUCHSIGNAL");
        }
    }

    /** kill of a real container, created and deleted by other JVMs. */
    private static void planKillOfARealContainer(Path work, Plan plan) throws IOException, InterruptedException {
        if (skipped("canal-oci kill of a real container")) {
            return;
        }
        String r = work.resolve("root").toString();
        if (realContainer(work, plan, r, "aot-kill")) {
            plan.reported("--root", r, "kill", "aot-kill", "KILL");
        }
    }

    /**
     * state of real containers, one created (held) and one started: the running one's status
     * reads its cgroup. They are created, started and deleted by other JVMs.
     */
    private static void planStateOfARealContainer(Path work, Plan plan) throws IOException, InterruptedException {
        if (skipped("canal-oci state of a real container")) {
            return;
        }
        String r = work.resolve("root").toString();
        if (realContainer(work, plan, r, "aot-state")) {
            plan.reported("--root", r, "state", "aot-state");
        }
        if (realContainer(work, plan, r, "aot-running") && inAnotherJvm("start", "--root", r, "start", "aot-running")) {
            plan.reported("--root", r, "state", "aot-running");
        }
    }

    /**
     * Whether another JVM created the real container {@code id} of busybox's sleep under
     * {@code root}; another deletes it once the plan has run.
     */
    private static boolean realContainer(Path work, Plan plan, String root, String id)
            throws IOException, InterruptedException {
        if (!inAnotherJvm("create", "--root", root, "create", "--bundle", sleepingBundle(work), id)) {
            return false;
        }
        plan.afterwards(() -> inAnotherJvm("delete", "--root", root, "delete", "--force", id));
        return true;
    }

    /** A bundle of busybox's {@code sleep 600} in {@code work}, as a path; made on the first call. */
    private static String sleepingBundle(Path work) throws IOException {
        Path bundle = work.resolve("sleeping");
        if (Files.isDirectory(bundle)) {
            return bundle.toString();
        }
        Path rootfs = TrainingBundle.rootfs(work.resolve("rootfs"));
        return TrainingBundle.minimal(bundle, rootfs, "sleep", "600").toString();
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

    /** Removes {@code file} and everything under it, through java.io.File: no streams in the cache. */
    private static void deleteTree(File file) throws IOException {
        File[] entries = Files.isSymbolicLink(file.toPath()) ? null : file.listFiles();
        if (entries != null) {
            for (File entry : entries) {
                deleteTree(entry);
            }
        }
        Files.delete(file.toPath());
    }
}
