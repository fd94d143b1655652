package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.ConfigErrors;
import dev.canal.runtime.testing.ConfigMutator;
import dev.canal.runtime.testing.MutationBundle;
import dev.canal.runtime.testing.MutationCgroups;
import dev.canal.runtime.testing.MutationSeeds;
import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fifty mutated configs (the runtime module's ConfigMutationTest feeds ten thousand to the
 * library) through {@code bin/canal-oci create}, as podman and containerd's shim call it: each
 * either creates a container, which is then started (every fifth) and deleted with
 * {@code delete --force}, or fails with exit status 1 and one line on standard error,
 * {@code canal-oci: <message naming the field>}; and leaves no state directory, no cgroup, no
 * process and nothing outside the rootfs.
 *
 * <p>Each variant runs in a shell with mount, network, UTS and IPC namespaces of its own
 * (unshare(1), its mounts private), so a variant that lost the container's own namespaces can
 * only reach that shell's; the shell's mount table before and after the commands must have
 * the same root and nothing added.
 */
@RequiresRoot
class OciConfigMutationTest {

    /** Another seed than the runtime's test: other variants. */
    private static final long SEED = 13_50L;

    private static final int VARIANTS = 50;
    private static final int START_EVERY = 5;

    /** create, then start (every fifth), then delete --force; each command's status and stderr in a file of its own. */
    private static final String SCRIPT = """
            cd "$1"
            canal_oci="$2"; root="$3"; bundle="$4"; id="$5"; start="$6"
            cat /proc/self/mountinfo > mounts-before
            "$canal_oci" --root "$root" create --bundle "$bundle" "$id" > create.out 2> create.err
            echo $? > create.status
            if [ "$(cat create.status)" = 0 ]; then
              if [ "$start" = yes ]; then
                "$canal_oci" --root "$root" start "$id" 2> start.err; echo $? > start.status
              fi
              "$canal_oci" --root "$root" delete --force "$id" 2> delete.err; echo $? > delete.status
            fi
            cat /proc/self/mountinfo > mounts-after
            """;

    @TempDir
    Path work;

    @Test
    void eachMutatedConfigIsCreatedOrRefusedNamingTheFieldAndLeavesNothing() throws Exception {
        var bundle = MutationBundle.create(work.resolve("mutation"));
        var mutator = new ConfigMutator(SEED, MutationSeeds.forBundle(bundle), bundle.paths());
        Path root = work.resolve("root");
        Path outputs = Files.createDirectories(work.resolve("outputs"));
        Set<String> cgroupsBefore = MutationCgroups.existing();
        List<String> defects = new ArrayList<>();
        int created = 0;
        for (int i = 0; i < VARIANTS; i++) {
            ConfigMutator.Variant variant = mutator.next();
            Files.writeString(bundle.directory().resolve("config.json"), variant.json());
            String id = MutationCgroups.ID_PREFIX + "cli-" + variant.number();
            Path output = Files.createDirectories(outputs.resolve(id));
            var shell = CanalHome.run(
                    List.of(
                            "unshare",
                            "--mount",
                            "--net",
                            "--uts",
                            "--ipc",
                            "--propagation",
                            "private",
                            "sh",
                            "-c",
                            SCRIPT,
                            "sh",
                            output.toString(),
                            CanalHome.ROOT.resolve("bin/canal-oci").toString(),
                            root.toString(),
                            bundle.directory().toString(),
                            id,
                            i % START_EVERY == 0 ? "yes" : "no"),
                    Map.of(),
                    300);
            assertEquals(0, shell.exitCode(), shell.stderr());
            List<String> problems = new ArrayList<>();
            if (Files.readString(output.resolve("create.status")).strip().equals("0")) {
                created++;
                String deleted =
                        Files.readString(output.resolve("delete.status")).strip();
                if (!deleted.equals("0")) {
                    problems.add("delete --force exited with " + deleted + ": "
                            + Files.readString(output.resolve("delete.err")));
                }
            } else {
                problems.addAll(refusalProblems(output));
            }
            problems.addAll(mountProblems(output));
            if (Files.exists(root.resolve(id))) {
                problems.add("state directory " + root.resolve(id) + " left");
            }
            problems.addAll(MutationCgroups.leftBy(variant, id, cgroupsBefore));
            HostProcesses.naming(work).forEach(process -> problems.add("process " + process.pid() + " left"));
            bundle.strays().forEach(stray -> problems.add("outside the rootfs: " + stray));
            problems.forEach(problem -> defects.add(variant.describe() + ": " + problem));
            if (!bundle.rootfsIntact()) {
                bundle.rebuildRootfs();
            }
        }
        System.out.println(VARIANTS + " variants through canal-oci: " + created + " created");
        assertEquals(List.of(), defects);
        assertTrue(
                created > 0 && created < VARIANTS, created + " of " + VARIANTS + " created: both outcomes are tried");
    }

    /** What is wrong with how create refused: exit status 1, one line "canal-oci: MESSAGE" naming the field. */
    private static List<String> refusalProblems(Path output) throws Exception {
        String status = Files.readString(output.resolve("create.status")).strip();
        String stderr = Files.readString(output.resolve("create.err"));
        List<String> problems = new ArrayList<>();
        if (!status.equals("1")) {
            problems.add("create exited with " + status);
        }
        if (!stderr.startsWith("canal-oci: ")
                || !stderr.endsWith("\n")
                || stderr.indexOf('\n') != stderr.length() - 1) {
            problems.add("create's stderr is not one line \"canal-oci: ...\": " + stderr);
        } else {
            String message = stderr.substring("canal-oci: ".length(), stderr.length() - 1);
            String problem = ConfigErrors.problem(message);
            if (problem != null) {
                problems.add(problem + ": " + stderr.strip());
            }
        }
        return problems;
    }

    /**
     * The shell's mount table after the commands against before: the same root, nothing added.
     * (A mount may go meanwhile: removing a directory on the host takes the mounts on it away in
     * every namespace, and other tests on this machine remove theirs.)
     */
    private static List<String> mountProblems(Path output) throws Exception {
        List<String> before = Files.readAllLines(output.resolve("mounts-before"));
        List<String> after = Files.readAllLines(output.resolve("mounts-after"));
        List<String> added = new ArrayList<>(after);
        added.removeAll(before);
        List<String> problems = new ArrayList<>();
        if (!added.isEmpty()) {
            problems.add("mounts added to the caller's namespace: " + added);
        }
        if (!rootMount(before).equals(rootMount(after))) {
            problems.add("the caller's root changed: " + rootMount(after));
        }
        return problems;
    }

    private static String rootMount(List<String> mountinfo) {
        return mountinfo.stream()
                .filter(line -> line.split(" ")[4].equals("/"))
                .findFirst()
                .orElse("no root");
    }

    /** Whatever a failed assertion left running. */
    @AfterEach
    void killWhatIsLeft() {
        for (ProcessHandle process : HostProcesses.naming(work)) {
            process.destroyForcibly();
            process.onExit().join();
        }
    }
}
