package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.BusyboxRootfs;
import dev.canal.runtime.testing.HostSnapshot;
import dev.canal.runtime.testing.MountTable;
import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tour's container in a hundred lines (docs/examples/MiniContainer.java), run as the tour
 * says, in source-file mode, on a busybox rootfs and the real kernel.
 */
@RequiresRoot
class MiniContainerTest {

    private static final Path EXAMPLE = CanalHome.ROOT.resolve("docs/examples/MiniContainer.java");

    @TempDir
    Path work;

    @Test
    void itsProgramIsPid1WithItsOwnHostNameRootAndProcAndLeavesNothing() throws Exception {
        Path rootfs = BusyboxRootfs.create(work.resolve("rootfs"));
        var result = run(rootfs, "sh", "-c", "echo pid $$; hostname; ls /; echo --; ls /proc");

        assertEquals(0, result.exitCode(), result.stderr());
        List<String> lines = result.stdout().lines().toList();
        assertEquals("pid 1", lines.get(0));
        assertEquals("mini", lines.get(1));
        List<String> rootEntries;
        try (Stream<Path> entries = Files.list(rootfs)) {
            rootEntries = entries.map(entry -> entry.getFileName().toString())
                    .sorted()
                    .toList();
        }
        int separator = lines.indexOf("--");
        assertEquals(rootEntries, lines.subList(2, separator), "ls / lists the rootfs");
        List<Integer> pids = lines.subList(separator + 1, lines.size()).stream()
                .filter(name -> name.matches("\\d+"))
                .map(Integer::valueOf)
                .toList();
        assertTrue(pids.contains(1), "/proc is the container's pid namespace's: " + pids);
        assertTrue(pids.size() <= 3, "only the container's processes, not the host's: " + pids);
        assertEquals(List.of(), mountsUnder(work), "every mount was made in the container's own mount namespace");
        assertEquals(Set.of(), HostSnapshot.take().children(), "no process left behind");
    }

    @Test
    void itExitsWithItsProgramsStatus() throws Exception {
        Path rootfs = BusyboxRootfs.create(work.resolve("rootfs"));

        var result = run(rootfs, "sh", "-c", "exit 7");

        assertEquals(7, result.exitCode(), result.stderr());
    }

    @Test
    void aRootfsWithoutAShellIsOneLineAndLeavesNothing() throws Exception {
        Path empty = Files.createDirectories(work.resolve("empty"));

        var result = run(empty, "sh");

        assertEquals(1, result.exitCode());
        assertEquals("MiniContainer: posix_spawn /bin/sh: No such file or directory\n", result.stderr());
        assertEquals(List.of(), mountsUnder(work));
        assertEquals(Set.of(), HostSnapshot.take().children());
    }

    /**
     * Mounts of the host's mount table at or below {@code directory}. The host's whole table is
     * not compared: builds running beside the tests (AOT training) mount and unmount there too.
     */
    private static List<String> mountsUnder(Path directory) {
        return MountTable.current().stream()
                .filter(mount -> mount.startsWith(directory + "/") || mount.startsWith(directory + " "))
                .toList();
    }

    /** java --enable-native-access=ALL-UNNAMED MiniContainer.java ROOTFS PROGRAM..., with this JDK. */
    private static CanalHome.Result run(Path rootfs, String... program) throws Exception {
        var command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                EXAMPLE.toString(),
                rootfs.toString()));
        command.addAll(List.of(program));
        return CanalHome.run(command, Map.of(), 120);
    }
}
