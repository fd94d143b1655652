package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.cgroup.CgroupPath;
import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@code canal-oci create} killed with SIGKILL in the middle of its work, as the OOM killer or
 * a {@code kill -9} could, leaves a state directory without state.json and, depending on the
 * point, a cgroup and a held process with its mounts; {@code canal-oci delete --force} removes
 * all of it, as {@code runc delete --force} does.
 *
 * <p>The points: after the state directory, after the cgroup, with the process held in its
 * namespaces, and with everything set up before state.json is written (the test seam
 * {@code -Dcanal.test.crash-at}, given through JDK_JAVA_OPTIONS); and from a createRuntime hook
 * that kills its runtime ({@code kill -9 $PPID}) while the rootfs is half built, the spec's
 * mounts in place and pivot_root still to come. Each with the thread engine (no seccomp filter,
 * no cgroup namespace) and with the clone engine ({@code canal-oci spec}'s default config).
 */
@RequiresRoot
class OciCrashTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String HOOK = "create-runtime-hook";

    @TempDir
    Path work;

    private String id;

    static Stream<Arguments> points() {
        var points = new ArrayList<Arguments>();
        for (String engine : List.of("thread", "clone")) {
            for (String point : List.of("state-directory", "cgroup", "process-held", "state-file", HOOK)) {
                points.add(Arguments.of(point, engine));
            }
        }
        return points.stream();
    }

    @ParameterizedTest(name = "killed at {0}, {1} engine")
    @MethodSource("points")
    void deleteForceRemovesWhatAKilledCreateLeft(String point, String engine) throws Exception {
        id = "crash-" + point + "-" + engine;
        Path bundle = bundle(point, engine);
        String root = work.resolve("root").toString();
        List<String> mountsBefore = hostMountsNaming(work);

        createKilled(root, bundle, point);

        Path state = Path.of(root, id);
        assertTrue(Files.isDirectory(state), "the state directory is left");
        assertFalse(Files.exists(state.resolve("state.json")), "the container was never created");
        boolean cgroupMade = !point.equals("state-directory");
        boolean processHeld = !point.equals("state-directory") && !point.equals("cgroup");
        assertEquals(cgroupMade, !cgroupDirectories().isEmpty(), "the cgroup is left: " + cgroupDirectories());
        assertEquals(processHeld, !HostProcesses.naming(work).isEmpty(), "the held process is left");
        var status = OciBundle.oci(root, "state", id);
        assertEquals("canal-oci: container \"" + id + "\" does not exist\n", status.stderr());

        var delete = OciBundle.oci(root, "delete", "--force", id);
        assertEquals(0, delete.exitCode(), delete.stderr());

        assertFalse(Files.exists(state), "no state directory");
        assertEquals(List.of(), cgroupDirectories(), "no cgroup in any hierarchy");
        assertEquals(List.of(), HostProcesses.naming(work), "no process");
        assertEquals(mountsBefore, hostMountsNaming(work), "no mount on the host");
        assertEquals(0, OciBundle.oci(root, "delete", "--force", id).exitCode(), "a second delete --force");
    }

    /** As runc's: without --force too, but then the container never existed. */
    @Test
    void aPlainDeleteRemovesItTooAndSaysItDoesNotExist() throws Exception {
        id = "crash-plain-delete";
        Path bundle = bundle("process-held", "thread");
        String root = work.resolve("root").toString();
        createKilled(root, bundle, "process-held");
        assertFalse(HostProcesses.naming(work).isEmpty(), "the held process is left");

        var delete = OciBundle.oci(root, "delete", id);
        assertEquals(1, delete.exitCode());
        assertEquals("canal-oci: container \"" + id + "\" does not exist\n", delete.stderr());
        assertFalse(Files.exists(Path.of(root, id)), "no state directory");
        assertEquals(List.of(), cgroupDirectories(), "no cgroup in any hierarchy");
        assertEquals(List.of(), HostProcesses.naming(work), "no process");
    }

    /** {@code canal-oci create}, killed at {@code point}: by the test seam, or by the bundle's hook. */
    private void createKilled(String root, Path bundle, String point) throws Exception {
        var create = CanalHome.run(
                List.of(
                        CanalHome.ROOT.resolve("bin/canal-oci").toString(),
                        "--root",
                        root,
                        "create",
                        "--bundle",
                        bundle.toString(),
                        id),
                point.equals(HOOK) ? Map.of() : Map.of("JDK_JAVA_OPTIONS", "-Dcanal.test.crash-at=" + point),
                120);
        assertEquals(137, create.exitCode(), "killed by SIGKILL: " + create.stderr());
    }

    /** Whatever a failed assertion left: the processes, then the container's cgroup. */
    @AfterEach
    void killWhatIsLeft() throws Exception {
        for (ProcessHandle process : HostProcesses.naming(work)) {
            process.destroyForcibly();
            process.onExit().join();
        }
        for (String directory : cgroupDirectories().reversed()) {
            Files.deleteIfExists(Path.of(directory));
        }
    }

    /**
     * canal-oci spec's config running {@code sleep}; for the thread engine without its seccomp
     * filter and cgroup namespace; for the hook point with a createRuntime hook that kills the
     * runtime, its parent.
     */
    private Path bundle(String point, String engine) throws Exception {
        Path bundle = OciBundle.create(work.resolve("bundle"));
        OciBundle.process(bundle, "sleep", "600");
        Path config = bundle.resolve("config.json");
        var tree = (ObjectNode) JSON.readTree(config.toFile());
        var linux = (ObjectNode) tree.get("linux");
        if (engine.equals("thread")) {
            linux.remove("seccomp");
            var namespaces = (ArrayNode) linux.get("namespaces");
            for (int i = namespaces.size() - 1; i >= 0; i--) {
                if (namespaces.get(i).get("type").asString().equals("cgroup")) {
                    namespaces.remove(i);
                }
            }
        }
        if (point.equals(HOOK)) {
            Path hook = Files.writeString(work.resolve("kill-runtime"), "#!/bin/sh\nkill -KILL $PPID\n");
            Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
            tree.putObject("hooks").putArray("createRuntime").addObject().put("path", hook.toString());
        }
        Files.writeString(config, JSON.writeValueAsString(tree));
        return bundle;
    }

    /** The container's cgroup (Canal's default, /canal/ID) in each hierarchy where it exists. */
    private List<String> cgroupDirectories() {
        CgroupLayout layout = CgroupLayout.detect();
        var hierarchies = new ArrayList<>(layout.v1Mounts().values());
        layout.unifiedMount().ifPresent(hierarchies::add);
        return hierarchies.stream()
                .map(mount -> CgroupPath.in(mount, CgroupPath.DEFAULT_PARENT + "/" + id))
                .filter(Files::isDirectory)
                .map(Path::toString)
                .distinct()
                .sorted()
                .toList();
    }

    /** The host's mounts (this JVM's main thread's) that name {@code directory}. */
    private static List<String> hostMountsNaming(Path directory) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> line.contains(directory.toString()))
                .toList();
    }
}
