package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code canal-oci ps}: a running container's processes, as runc lists them. */
@RequiresRoot
class OciPsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    private Path bundle;
    private String root;
    private final String id = "ps-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void aRunningContainerWithASecondProcess() throws Exception {
        bundle = OciBundle.create(work.resolve("bundle"));
        root = work.resolve("state").toString();
        // sh stays pid 1 of the container (the second command is not the last, so it is not exec'd) with two sleeps
        // under it.
        OciBundle.process(bundle, "sh", "-c", "sleep 600 & sleep 601; true");
        var run = OciBundle.oci(root, "run", "--detach", "--bundle", bundle.toString(), id);
        assertEquals(0, run.exitCode(), run.stderr());
    }

    @AfterEach
    void deleteIt() throws Exception {
        var delete = OciBundle.oci(root, "delete", "--force", id);
        assertEquals(0, delete.exitCode(), delete.stderr());
    }

    /** The container's pids, once both sleeps have started. */
    private List<Integer> pids() throws Exception {
        while (true) {
            var ps = OciBundle.oci(root, "ps", "--format", "json", id);
            assertEquals(0, ps.exitCode(), ps.stderr());
            JsonNode array = JSON.readTree(ps.stdout());
            assertTrue(array.isArray(), ps.stdout());
            List<Integer> pids = new ArrayList<>();
            array.forEach(pid -> pids.add(pid.asInt()));
            if (pids.size() == 3) {
                return pids;
            }
            assertTrue(pids.size() < 3, "sh and two sleeps: " + pids);
        }
    }

    @Test
    void jsonListsTheFirstProcessAndTheOthersByHostPid() throws Exception {
        List<Integer> pids = pids();
        int first = JSON.readTree(OciBundle.oci(root, "state", id).stdout())
                .get("pid")
                .asInt();
        assertTrue(pids.contains(first), pids + " has the first process " + first);
        for (int pid : pids) {
            assertTrue(ProcessHandle.of(pid).isPresent(), "a host pid: " + pid);
        }
    }

    @Test
    void theTableIsTheHostsPsCutToTheContainer() throws Exception {
        Set<Integer> pids = Set.copyOf(pids());
        var table = OciBundle.oci(root, "ps", id);
        assertEquals(0, table.exitCode(), table.stderr());
        List<String> lines = table.stdout().lines().toList();
        assertTrue(
                lines.getFirst().matches("UID +PID +PPID +C +STIME +TTY +TIME +CMD"),
                "ps -ef's header: " + lines.getFirst());
        assertEquals(
                pids,
                Set.copyOf(lines.subList(1, lines.size()).stream()
                        .map(line -> Integer.parseInt(line.split(" +")[1]))
                        .toList()));
        assertTrue(table.stdout().contains("sleep 601"), table.stdout());

        var custom = OciBundle.oci(root, "ps", id, "-o", "pid,args");
        assertEquals(0, custom.exitCode(), custom.stderr());
        List<String> rows = custom.stdout().lines().toList();
        assertTrue(rows.getFirst().matches(" *PID +COMMAND"), rows.getFirst());
        assertEquals(
                pids,
                Set.copyOf(rows.subList(1, rows.size()).stream()
                        .map(row -> Integer.parseInt(row.strip().split(" +")[0]))
                        .toList()));
    }

    @Test
    void aStoppedContainerHasNoProcesses() throws Exception {
        pids();
        assertEquals(0, OciBundle.oci(root, "kill", "--all", id, "KILL").exitCode());
        while (!JSON.readTree(OciBundle.oci(root, "state", id).stdout())
                .get("status")
                .asString()
                .equals("stopped")) {
            Thread.onSpinWait();
        }
        // runc prints an empty list too (Go's null): the cgroup is there until delete, with nothing in it.
        while (!OciBundle.oci(root, "ps", "-f", "json", id).stdout().equals("[]\n")) {
            Thread.onSpinWait();
        }
        var table = OciBundle.oci(root, "ps", id);
        assertEquals(1, table.stdout().lines().count(), "only the header: " + table.stdout());
    }

    @Test
    void badInputGetsOneLineAndANonZeroStatus() throws Exception {
        var format = OciBundle.oci(root, "ps", "--format", "xml", id);
        assertEquals(1, format.exitCode());
        assertEquals("canal-oci: --format: unknown format \"xml\" (table or json)\n", format.stderr());

        var unknown = OciBundle.oci(root, "ps", "nope");
        assertEquals(1, unknown.exitCode());
        assertEquals("canal-oci: container \"nope\" does not exist\n", unknown.stderr());

        var psOption = OciBundle.oci(root, "ps", id, "--no-such-option");
        assertEquals(1, psOption.exitCode());
        assertTrue(psOption.stderr().startsWith("canal-oci: ps --no-such-option: exit status 1: "), psOption.stderr());
        assertEquals(1, psOption.stderr().lines().count(), psOption.stderr());

        var noPidColumn = OciBundle.oci(root, "ps", id, "-o", "comm");
        assertEquals(1, noPidColumn.exitCode());
        assertEquals("canal-oci: ps -o comm: its output has no PID column\n", noPidColumn.stderr());
    }
}
