package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.testing.ContainerRun;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.TestBundle;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the container's process may do, read back from inside by the kernel's own account:
 * the capability sets, NoNewPrivs and Seccomp (0: no filter here; filters are in
 * SeccompContainerTest) of /proc/self/status, /proc/self/limits and /proc/self/oom_score_adj
 * (proc(5)), for root and for a non-root user, with each engine.
 */
@RequiresRoot
class ProcessSecurityTest {

    /** CAP_KILL (5), CAP_NET_BIND_SERVICE (10), CAP_AUDIT_WRITE (29): runc spec's defaults. */
    private static final List<String> RUNC_DEFAULT = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");

    private static final String RUNC_DEFAULT_MASK = "0000000020000420";

    private static final String STATUS = "grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):' /proc/self/status";

    @TempDir
    Path work;

    private ContainerRun.Outcome run(EngineChoice engine, TestBundle bundle) throws Exception {
        return ContainerRun.run(
                new Containers(work.resolve("state")), "sec-" + engine.name().toLowerCase(), bundle.write(), engine);
    }

    private TestBundle bundle() throws Exception {
        return TestBundle.create(work.resolve("bundle"));
    }

    private static void capabilities(ObjectNode process, Map<String, List<String>> sets) {
        ObjectNode capabilities = process.putObject("capabilities");
        sets.forEach((set, names) -> names.forEach(capabilities.putArray(set)::add));
    }

    /** /proc/self/status's lines, "Name:\tvalue", as a map. */
    private static Map<String, String> statusOf(ContainerRun.Outcome outcome) {
        assertEquals(0, outcome.exitCode(), outcome.stderr());
        Map<String, String> fields = new LinkedHashMap<>();
        outcome.stdout().lines().map(line -> line.split(":\\s+", 2)).forEach(f -> fields.put(f[0], f[1]));
        return fields;
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void rootGetsExactlyTheSpecsSets(EngineChoice engine) throws Exception {
        var bundle = bundle().shell(STATUS);
        capabilities(
                bundle.process(),
                Map.of("bounding", RUNC_DEFAULT, "effective", RUNC_DEFAULT, "permitted", RUNC_DEFAULT));
        var status = statusOf(run(engine, bundle));
        assertEquals(
                Map.of(
                        "CapInh",
                        "0000000000000000",
                        "CapPrm",
                        RUNC_DEFAULT_MASK,
                        "CapEff",
                        RUNC_DEFAULT_MASK,
                        "CapBnd",
                        RUNC_DEFAULT_MASK,
                        "CapAmb",
                        "0000000000000000",
                        "NoNewPrivs",
                        "1",
                        "Seccomp",
                        "0"),
                status);
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aNonRootUserKeepsItsAmbientCapabilitiesAcrossExec(EngineChoice engine) throws Exception {
        // CAP_KILL and CAP_NET_BIND_SERVICE: 0x420. Non-root, execve(2) leaves permitted and
        // effective equal to the ambient set; the bounding and inheritable sets stay as set.
        List<String> two = List.of("CAP_KILL", "CAP_NET_BIND_SERVICE");
        var bundle = bundle().shell(STATUS);
        bundle.process().putObject("user").put("uid", 1000).put("gid", 1000);
        capabilities(
                bundle.process(),
                Map.of(
                        "bounding",
                        RUNC_DEFAULT,
                        "effective",
                        two,
                        "permitted",
                        two,
                        "inheritable",
                        two,
                        "ambient",
                        two));
        bundle.process().put("noNewPrivileges", false);
        var status = statusOf(run(engine, bundle));
        assertEquals(
                Map.of(
                        "CapInh",
                        "0000000000000420",
                        "CapPrm",
                        "0000000000000420",
                        "CapEff",
                        "0000000000000420",
                        "CapBnd",
                        RUNC_DEFAULT_MASK,
                        "CapAmb",
                        "0000000000000420",
                        "NoNewPrivs",
                        "0",
                        "Seccomp",
                        "0"),
                status);
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void ambientCapabilitiesThatAreNotInheritableAreLeftOutAsRuncDoes(EngineChoice engine) throws Exception {
        // runc spec's own default: ambient without inheritable. The kernel refuses those raises.
        var bundle = bundle().shell(STATUS);
        capabilities(
                bundle.process(),
                Map.of(
                        "bounding",
                        RUNC_DEFAULT,
                        "effective",
                        RUNC_DEFAULT,
                        "permitted",
                        RUNC_DEFAULT,
                        "ambient",
                        RUNC_DEFAULT));
        var status = statusOf(run(engine, bundle));
        assertEquals("0000000000000000", status.get("CapAmb"));
        assertEquals(RUNC_DEFAULT_MASK, status.get("CapEff"));
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aNonRootUserWithoutAmbientCapabilitiesHasNone(EngineChoice engine) throws Exception {
        var bundle = bundle().shell(STATUS + "; kill -0 1 2>&1; echo $?");
        bundle.process().putObject("user").put("uid", 1000).put("gid", 1000);
        capabilities(
                bundle.process(),
                Map.of("bounding", RUNC_DEFAULT, "effective", RUNC_DEFAULT, "permitted", RUNC_DEFAULT));
        var outcome = run(engine, bundle);
        assertTrue(
                outcome.stdout().contains("CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n"), outcome.stdout());
        assertTrue(outcome.stdout().contains("CapBnd:\t" + RUNC_DEFAULT_MASK), outcome.stdout());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void withoutACapabilitiesSectionRootKeepsEverything(EngineChoice engine) throws Exception {
        // Everything this JVM's root has (these machines' root lacks CAP_SYS_RESOURCE).
        String own = java.nio.file.Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("CapBnd:"))
                .findFirst()
                .orElseThrow()
                .split("\\s+")[1];
        var status = statusOf(run(engine, bundle().shell(STATUS)));
        assertEquals(own, status.get("CapEff"));
        assertEquals(own, status.get("CapBnd"));
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void everyRlimitAndTheOomScoreAreSet(EngineChoice engine) throws Exception {
        var bundle = bundle().shell("cat /proc/self/limits /proc/self/oom_score_adj");
        EveryRlimit.addTo(bundle.process());
        bundle.process().put("oomScoreAdj", 345);
        var outcome = run(engine, bundle);
        assertEquals(0, outcome.exitCode(), outcome.stderr());
        EveryRlimit.assertApplied(outcome.stdout());
        assertTrue(outcome.stdout().endsWith("\n345\n"), outcome.stdout());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aHeldProcessIsOutOfReachOfTheContainer(EngineChoice engine) throws Exception {
        // Container B joins held container A's pid namespace as root without CAP_SYS_PTRACE. A's
        // process is still the JVM's image, its exe the host's java binary, its descriptors the
        // JVM's until exec; not dumpable, it keeps all three out of B's reach (ptrace(2),
        // "Ptrace access mode checking"). B may still list the numbers in /proc/1/fd.
        var containers = new Containers(work.resolve("state"));
        Container held = containers.create(
                "held",
                TestBundle.create(work.resolve("held")).args("true").write(),
                new CreateOptions(engine, Stdio.inherit()));
        try {
            var probe = TestBundle.create(work.resolve("probe"))
                    .shell(
                            "readlink /proc/1/exe; echo exe=$?; head -c1 /proc/1/mem; echo mem=$?; readlink /proc/1/fd/0; echo fd=$?")
                    .withoutNamespaces("pid");
            ((ArrayNode) probe.linux().get("namespaces"))
                    .addObject()
                    .put("type", "pid")
                    .put("path", "/proc/" + held.pid() + "/ns/pid");
            capabilities(
                    probe.process(),
                    Map.of("bounding", RUNC_DEFAULT, "effective", RUNC_DEFAULT, "permitted", RUNC_DEFAULT));
            var outcome = ContainerRun.run(containers, "probe", probe.write(), engine);
            assertTrue(
                    outcome.stdout().contains("exe=1")
                            && outcome.stdout().contains("mem=1")
                            && outcome.stdout().contains("fd=1"),
                    outcome.stdout() + outcome.stderr());
            assertTrue(outcome.stderr().contains("Permission denied"), outcome.stderr());
        } finally {
            held.delete(true);
        }
    }
}
