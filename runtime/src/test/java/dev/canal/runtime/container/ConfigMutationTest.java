package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.oci.InvalidSpecException;
import dev.canal.runtime.oci.Spec;
import dev.canal.runtime.oci.SpecValidator;
import dev.canal.runtime.seccomp.SeccompCache;
import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.sys.Mounts;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.Processes;
import dev.canal.runtime.sys.SyscallException;
import dev.canal.runtime.testing.ConfigErrors;
import dev.canal.runtime.testing.ConfigMutator;
import dev.canal.runtime.testing.HostSnapshot;
import dev.canal.runtime.testing.IsolatedThread;
import dev.canal.runtime.testing.MountTable;
import dev.canal.runtime.testing.MutationBundle;
import dev.canal.runtime.testing.MutationCgroups;
import dev.canal.runtime.testing.MutationSeeds;
import dev.canal.runtime.testing.RequiresRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ten thousand mutated variants of real configs (runc's spec, podman's and docker's; see
 * {@link ConfigMutator}) go to {@code create} in this one JVM. Each must either work, and is then
 * deleted (every tenth one is started first, runs {@code true} and exits), or fail with a one-line
 * error that names the field, of a type Canal throws on purpose; and either way leave nothing:
 * no state directory, no cgroup but the parents its cgroup path names, no child process, no
 * change to the caller's mount table, nothing created outside the rootfs through a symlink or
 * "..".
 *
 * <p>Every create runs on one thread with mount, network, UTS and IPC namespaces of its own
 * (its mounts private): a variant that lost its own namespaces falls back to that thread's, never
 * to the host's. That thread's mount table is the caller's compared after each variant; on the
 * host, no mount may name the test's directory.
 *
 * <p>A variant that means what an earlier one meant (the mutator repeats itself: the same field
 * of the same seed dropped again; or it added only properties the spec does not define) is read
 * and validated, and must end as the earlier one did, but is not created again: it would do the
 * same. Ten thousand distinct ones are created. With {@code -Dcanal.mutation.variants=N}, N.
 *
 * <p>The variants are the same on every run (a fixed seed); a failure names each by number,
 * seed config and changes, so {@code ConfigMutator} can make it again.
 */
@RequiresRoot
class ConfigMutationTest {

    private static final long SEED = 13_2026_12_07L;
    private static final int VARIANTS = Integer.getInteger("canal.mutation.variants", 10_000);
    private static final int START_EVERY = 10;
    private static final int START_SECONDS = 30;

    /** Exception types that only a bug throws, whatever their message. */
    private static final Set<Class<?>> BUG_TYPES = Set.of(
            NullPointerException.class,
            ClassCastException.class,
            IndexOutOfBoundsException.class,
            ArrayIndexOutOfBoundsException.class,
            StringIndexOutOfBoundsException.class,
            NumberFormatException.class,
            ArithmeticException.class,
            UnsupportedOperationException.class,
            java.util.NoSuchElementException.class,
            java.util.ConcurrentModificationException.class);

    @TempDir
    Path work;

    @Test
    @Timeout(value = 60, unit = java.util.concurrent.TimeUnit.MINUTES)
    void eachMutatedConfigWorksOrFailsNamingTheFieldAndLeavesNothing() throws Exception {
        var bundle = MutationBundle.create(work);
        Report report = IsolatedThread.run(
                linux_h.CLONE_NEWNS() | linux_h.CLONE_NEWNET() | linux_h.CLONE_NEWUTS() | linux_h.CLONE_NEWIPC(),
                () -> {
                    Mounts.mount(null, "/", null, linux_h.MS_REC() | linux_h.MS_PRIVATE(), null);
                    detachOthersMounts();
                    return new Run(bundle, work.resolve("state")).all();
                });
        System.out.println(report.summary() + report.defects());
        assertEquals(List.of(), hostMountsUnder(work), "mounts of the test's directory on the host");
        assertTrue(report.defects().isEmpty(), report.defects());
    }

    /** How a create of a config ended. */
    enum Outcome {
        CREATED,
        /** Refused as it was read and validated. */
        INVALID,
        /** Refused later, by the host. */
        FAILED_LATER
    }

    /** The JSON objects of config.json where any key is an entry, not a property. */
    private static final Set<String> MAPS = Set.of("annotations", "sysctl", "unified", "timeOffsets");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What a run found: the defects, and how the variants ended. */
    record Report(String defects, String summary) {}

    /** The variants, one after the other, on the isolated thread. */
    private static final class Run {

        private final MutationBundle bundle;
        private final Path stateRoot;
        private final Containers containers;
        private final Map<String, List<String>> defects = new TreeMap<>();
        private final Map<String, Integer> failures = new TreeMap<>();
        private int created;
        private int started;
        private int rebuilt;
        private long seconds;
        private int repeats;
        private int fed;
        private final Map<String, Outcome> outcomes = new HashMap<>();

        Run(MutationBundle bundle, Path stateRoot) {
            this.bundle = bundle;
            this.stateRoot = stateRoot;
            this.containers = new Containers(stateRoot);
        }

        Report all() throws Exception {
            var seeds = MutationSeeds.forBundle(bundle);
            try (var devNull = OwnedFd.open("/dev/null", linux_h.O_RDWR(), 0)) {
                var stdio = new Stdio(devNull.fd(), devNull.fd(), devNull.fd());
                // Each seed as it is must run: otherwise its variants would only test failing early.
                seeds.forEach((name, config) -> {
                    String id = "seed-" + name;
                    write(config.toString());
                    Container container = containers.create(id, bundle.directory(), options(stdio));
                    container.terminal().ifPresent(OwnedFd::close);
                    container.start();
                    int status = container.waitForExit();
                    container.delete(false);
                    // true exits 0; with a terminal whose master is closed, by SIGHUP.
                    assertTrue(status == 0 || status == 129, name + " exited with " + status);
                    outcomes.put(meaning(config.toString()), Outcome.CREATED);
                });
                Baseline baseline = Baseline.take();
                var mutator = new ConfigMutator(SEED, seeds, bundle.paths());
                long began = System.nanoTime();
                while (fed < VARIANTS) {
                    ConfigMutator.Variant variant = mutator.next();
                    String meaning = meaning(variant.json());
                    Outcome earlier = meaning == null ? null : outcomes.get(meaning);
                    if (earlier != null) {
                        checkReadAsBefore(variant, earlier);
                        continue;
                    }
                    fed++;
                    Outcome outcome = tryCreate(variant, stdio);
                    if (meaning != null) {
                        outcomes.put(meaning, outcome);
                    }
                    checkNothingLeft(variant, baseline);
                }
                seconds = (System.nanoTime() - began) / 1_000_000_000L;
            }
            return new Report(describeDefects(), summary());
        }

        private static CreateOptions options(Stdio stdio) {
            return new CreateOptions(EngineChoice.AUTO, stdio);
        }

        private void write(String json) {
            try {
                Files.writeString(bundle.directory().resolve("config.json"), json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private Outcome tryCreate(ConfigMutator.Variant variant, Stdio stdio) {
            write(variant.json());
            String id = id(variant);
            Container container;
            try {
                container = containers.create(id, bundle.directory(), options(stdio));
            } catch (Throwable failure) {
                String problem = problem(failure);
                if (problem != null) {
                    defect(problem, variant, failure);
                }
                failures.merge(firstWord(failure.getMessage()), 1, Integer::sum);
                return failure instanceof InvalidSpecException ? Outcome.INVALID : Outcome.FAILED_LATER;
            }
            created++;
            try {
                container.terminal().ifPresent(OwnedFd::close);
                if (created % START_EVERY == 0) {
                    startAndWait(container, variant);
                }
            } catch (Throwable failure) {
                defect("after create: " + failure, variant, failure);
            } finally {
                try {
                    container.delete(true);
                } catch (Throwable failure) {
                    defect("delete failed: " + failure.getMessage(), variant, failure);
                }
            }
            return Outcome.CREATED;
        }

        /**
         * A variant that means what an earlier one meant, as Canal reads it (the same but for
         * properties the spec does not define, or a duplicate key whose other value lost), is only
         * read and validated: creating it would do what the earlier one did. Its reading must end
         * as the earlier one's did.
         */
        private void checkReadAsBefore(ConfigMutator.Variant variant, Outcome earlier) {
            repeats++;
            try {
                SpecValidator.requireValid(Spec.parse(variant.json()), "config.json");
                if (earlier == Outcome.INVALID) {
                    defect("valid, where the same config without its unknown properties was not", variant, null);
                }
            } catch (InvalidSpecException invalid) {
                String problem = ConfigErrors.problem(invalid.getMessage());
                if (earlier != Outcome.INVALID || problem != null) {
                    defect(
                            "invalid (" + problem + "), where the same config without its unknown properties was "
                                    + earlier,
                            variant,
                            invalid);
                }
            }
        }

        /**
         * The variant as Canal reads it: a duplicate key's last value, and without the properties
         * the spec does not define (those the mutator adds, outside the maps where any key is an
         * entry); as a digest, to keep ten thousand of them. Null for text that is no JSON.
         */
        private static String meaning(String json) {
            JsonNode tree;
            try {
                tree = JSON.readTree(json);
            } catch (RuntimeException unreadable) {
                return null;
            }
            withoutUnknownProperties(tree, "");
            try {
                return HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256")
                                .digest(tree.toString().getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static void withoutUnknownProperties(JsonNode node, String name) {
            if (node instanceof ObjectNode object && !MAPS.contains(name)) {
                object.remove(object.propertyNames().stream()
                        .filter(property -> property.startsWith(ConfigMutator.UNKNOWN_PREFIX))
                        .toList());
            }
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                withoutUnknownProperties(property.getValue(), property.getKey());
            }
            if (node.isArray()) {
                node.forEach(element -> withoutUnknownProperties(element, ""));
            }
        }

        /** Starts the container and waits for its program, killing it if it is still there after a while. */
        private void startAndWait(Container container, ConfigMutator.Variant variant) throws InterruptedException {
            try {
                container.start();
            } catch (RuntimeException failure) {
                String problem = ConfigErrors.problem(failure.getMessage());
                if (problem != null && !problem.equals("no config field named")) {
                    defect("start: " + problem, variant, failure);
                }
                return;
            }
            started++;
            long deadline = System.nanoTime() + START_SECONDS * 1_000_000_000L;
            while (Processes.pollExit(container.pid()) == Processes.STILL_RUNNING) {
                if (System.nanoTime() > deadline) {
                    container.kill(linux_h.SIGKILL());
                    Processes.waitForExit(container.pid());
                    return;
                }
                Thread.sleep(10);
            }
        }

        /** Why {@code failure} is not a proper refusal of a bad config, or null when it is one. */
        private static String problem(Throwable failure) {
            if (failure instanceof Error || BUG_TYPES.contains(failure.getClass())) {
                return failure.getClass().getSimpleName();
            }
            StackTraceElement[] stack = failure.getStackTrace();
            if (failure.getClass().getName().startsWith("java.")
                    && (stack.length == 0 || !stack[0].getClassName().startsWith("dev.canal."))) {
                return failure.getClass().getSimpleName() + " from " + (stack.length == 0 ? "?" : stack[0]);
            }
            String problem = ConfigErrors.problem(failure.getMessage());
            return problem == null ? null : problem + " (" + failure.getClass().getSimpleName() + ")";
        }

        private void checkNothingLeft(ConfigMutator.Variant variant, Baseline baseline) throws Exception {
            List<String> left = new ArrayList<>();
            if (Files.isDirectory(stateRoot)) {
                try (Stream<Path> entries = Files.list(stateRoot)) {
                    entries.filter(entry -> !entry.getFileName().toString().equals(SeccompCache.STATE_ROOT_ENTRY))
                            .forEach(entry -> left.add("state " + entry));
                }
            }
            List<String> mounts = MountTable.current();
            if (!mounts.equals(baseline.mounts())) {
                left.add("the caller's mounts changed: " + difference(baseline.mounts(), mounts));
            }
            Set<Integer> children = HostSnapshot.childProcesses();
            if (!children.equals(baseline.children())) {
                left.add("child processes " + children + ", before " + baseline.children());
            }
            left.addAll(MutationCgroups.leftBy(variant, id(variant), baseline.cgroups()));
            Set<String> strays = bundle.strays();
            if (!strays.isEmpty()) {
                left.add("outside the rootfs: " + strays);
                for (String stray : strays) {
                    removeTree(Path.of(stray));
                }
            }
            for (String what : left) {
                defect("left behind: " + what.replaceAll("\\d+", "N"), variant, null);
            }
            if (!left.isEmpty()) {
                System.out.println(variant.describe() + " left " + left);
            }
            if (!bundle.rootfsIntact()) {
                System.out.println(variant.describe() + " changed the rootfs; building it again");
                bundle.rebuildRootfs();
                rebuilt++;
            }
        }

        private void defect(String problem, ConfigMutator.Variant variant, Throwable failure) {
            List<String> examples = defects.computeIfAbsent(problem, k -> new ArrayList<>());
            if (examples.size() < 3) {
                String message = failure == null ? "" : "\n      " + failure;
                examples.add(variant.describe() + message);
                if (failure != null && (failure instanceof Error || BUG_TYPES.contains(failure.getClass()))) {
                    failure.printStackTrace(System.out);
                }
            }
        }

        private String describeDefects() {
            var text = new StringBuilder();
            defects.forEach((problem, examples) -> {
                text.append("\n").append(problem).append(":");
                examples.forEach(example -> text.append("\n    ").append(example));
            });
            return text.toString();
        }

        private String summary() {
            var text = new StringBuilder(fed + " variants fed to create in " + seconds + " s: " + created
                    + " created (" + started + " started), " + (fed - created)
                    + " refused; the rootfs rebuilt " + rebuilt + " times. Besides, " + repeats
                    + " that meant what an earlier one meant were only read."
                    + " Refusals by their first word:");
            failures.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .limit(25)
                    .forEach(entry -> text.append("\n  ")
                            .append(entry.getValue())
                            .append(" ")
                            .append(entry.getKey()));
            return text.toString();
        }

        private static String id(ConfigMutator.Variant variant) {
            return MutationCgroups.ID_PREFIX + variant.number();
        }

        private static String firstWord(String message) {
            if (message == null) {
                return "(none)";
            }
            int file = message.indexOf("config.json: ");
            String rest = file < 0 ? message : message.substring(file + "config.json: ".length());
            String word = rest.split("[ :(]", 2)[0];
            return word.length() > 60 ? word.substring(0, 60) : word;
        }
    }

    /** What the host and the caller look like before the variants. */
    private record Baseline(List<String> mounts, Set<Integer> children, Set<String> cgroups) {
        static Baseline take() {
            return new Baseline(MountTable.current(), HostSnapshot.childProcesses(), MutationCgroups.existing());
        }
    }

    /** The mounts of the JVM's main thread, which is in the host's mount namespace, that name {@code directory}. */
    private static List<String> hostMountsUnder(Path directory) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> line.contains(directory.toString()))
                .toList();
    }

    /**
     * Detaches, in the isolated thread's copy of the host's mounts, all but the system's own
     * (/, /proc, /sys, /dev and what is under them) and those the test's directory is on. The
     * rest are other tests' on this shared machine: removing a directory on the host takes
     * the mounts on it away in every namespace (Linux 3.18+), which would look like a change
     * of the caller's mount table.
     */
    private void detachOthersMounts() {
        List<String> mountPoints = MountTable.current().stream()
                .map(line -> line.substring(0, line.lastIndexOf(' ')))
                .toList();
        for (String mountPoint : mountPoints.reversed()) {
            String path =
                    mountPoint.replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\");
            boolean system = path.equals("/")
                    || List.of("/proc", "/sys", "/dev").stream()
                            .anyMatch(top -> path.equals(top) || path.startsWith(top + "/"));
            if (!system && !work.startsWith(path)) {
                try {
                    Mounts.unmount(path, linux_h.MNT_DETACH());
                } catch (SyscallException alreadyGone) {
                    // under one detached before
                }
            }
        }
    }

    private static String difference(List<String> before, List<String> after) {
        var added = new ArrayList<>(after);
        added.removeAll(before);
        var removed = new ArrayList<>(before);
        removed.removeAll(after);
        return "+" + added + " -" + removed;
    }

    private static void removeTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }
}
