package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.oci.CapabilityNames;
import dev.canal.runtime.oci.Spec;
import dev.canal.runtime.seccomp.SeccompCompiler;
import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.KernelFeatures;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.testing.ContainerRun;
import dev.canal.runtime.testing.HostSnapshot;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.TestBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The largest valid configs through the clone engine, whose child runs every step of the
 * process's setup as a system call of its own: every capability in every set (41 ambient raises
 * in the child), an empty bounding set in a user namespace (41 drops in the child), uid and gid
 * maps of several ranges, every rlimit, a seccomp filter of thousands of instructions, many
 * mounts, masked and read-only paths, joined namespaces, and on the path of kernels without
 * procfs {@code pidns} several proc mounts made by the child. Each container reads its own state
 * back and is deleted, leaving the host as it was.
 */
@RequiresRoot
class CloneEngineExtremesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String STATUS = "grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):' /proc/self/status";

    /** Mounts of the config beyond TestBundle's: tmpfs on /mnt/t0 to /mnt/t39. */
    private static final int EXTRA_MOUNTS = 40;

    /**
     * Calls every busybox command makes, each checked in the filter against many argument values
     * it never passes: 600 rules, 3,099 BPF instructions (of the kernel's 4,096).
     */
    private static final List<String> FILTERED_CALLS = List.of(
            "read",
            "write",
            "openat",
            "close",
            "fstat",
            "newfstatat",
            "mmap",
            "munmap",
            "brk",
            "rt_sigaction",
            "getdents64",
            "ioctl",
            "fcntl",
            "lseek",
            "execve",
            "wait4",
            "clone",
            "getpid",
            "getuid",
            "uname",
            "exit_group",
            "readlink",
            "dup2",
            "pipe2",
            "access",
            "statx",
            "prlimit64",
            "getcwd",
            "chdir",
            "kill");

    private static final int VALUES_PER_CALL = 20;

    @TempDir
    Path work;

    private Containers containers;
    private HostSnapshot before;

    @BeforeEach
    void snapshot() {
        containers = new Containers(work.resolve("state"));
        before = HostSnapshot.take();
    }

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), containers.ids(), "containers left in the state directory");
        assertEquals(before, HostSnapshot.take(), "mounts, child processes or cgroups left behind");
    }

    private ContainerRun.Outcome run(String id, TestBundle bundle) throws Exception {
        var outcome = ContainerRun.run(containers, id, bundle.write(), EngineChoice.CLONE);
        assertEquals(0, outcome.exitCode(), outcome.stdout() + outcome.stderr());
        return outcome;
    }

    /** Every capability this kernel has, by name. */
    private static List<String> everyCapability() {
        return CapabilityNames.namesInKernelOrder().stream()
                .filter(name -> CapabilityNames.number(name) <= CapabilityNames.lastCapability())
                .toList();
    }

    /** /proc/self/status's mask of {@code names}, as 16 hex digits. */
    private static String mask(List<String> names) {
        return "%016x".formatted(CapabilityNames.mask(names));
    }

    private static void capabilities(ObjectNode process, List<String> bounding, List<String> others) {
        ObjectNode capabilities = process.putObject("capabilities");
        bounding.forEach(capabilities.putArray("bounding")::add);
        for (String set : new String[] {"effective", "permitted", "inheritable", "ambient"}) {
            others.forEach(capabilities.putArray(set)::add);
        }
    }

    /** A user namespace whose uids and gids are mapped in {@code ranges} ranges of 1,000. */
    private static void userNamespace(TestBundle bundle, int ranges) {
        bundle.namespace("user");
        for (String field : new String[] {"uidMappings", "gidMappings"}) {
            ArrayNode mappings = bundle.linux().putArray(field);
            for (int i = 0; i < ranges; i++) {
                mappings.addObject()
                        .put("containerID", i * 1000)
                        .put("hostID", 100_000 + i * 10_000)
                        .put("size", 1000);
            }
        }
    }

    /** The lines a map of {@link #userNamespace} reads as in /proc/self/uid_map, spaces squeezed. */
    private static List<String> mapLines(int ranges) {
        return IntStream.range(0, ranges)
                .mapToObj(i -> (i * 1000) + " " + (100_000 + i * 10_000) + " 1000")
                .toList();
    }

    /**
     * Allows everything but mkdir, refused with EOPNOTSUPP (95), and makes each call of
     * {@link #FILTERED_CALLS} pass {@value #VALUES_PER_CALL} argument checks on its way.
     */
    private static ObjectNode largeSeccompProfile() {
        ObjectNode seccomp = JSON.createObjectNode().put("defaultAction", "SCMP_ACT_ALLOW");
        seccomp.putArray("architectures").add("SCMP_ARCH_X86_64");
        ArrayNode rules = seccomp.putArray("syscalls");
        rules.addObject()
                .put("action", "SCMP_ACT_ERRNO")
                .put("errnoRet", 95)
                .putArray("names")
                .add("mkdir")
                .add("mkdirat");
        for (String call : FILTERED_CALLS) {
            for (int i = 0; i < VALUES_PER_CALL; i++) {
                ObjectNode rule =
                        rules.addObject().put("action", "SCMP_ACT_ERRNO").put("errnoRet", 1);
                rule.putArray("names").add(call);
                // Above any user-space address, beyond any descriptor, flag or size busybox passes.
                rule.putArray("args")
                        .addObject()
                        .put("index", i % 6)
                        .put("value", 0x5eed_0000_0000_0000L + i)
                        .put("op", "SCMP_CMP_EQ");
            }
        }
        return seccomp;
    }

    /** tmpfs on /mnt/t0 to /mnt/t39; t0 to t9 masked, t10 to t19 read-only. */
    private static void manyMounts(TestBundle bundle) {
        bundle.edit(config -> {
            ArrayNode list = (ArrayNode) config.get("mounts");
            for (int i = 0; i < EXTRA_MOUNTS; i++) {
                list.addObject()
                        .put("destination", "/mnt/t" + i)
                        .put("type", "tmpfs")
                        .put("source", "tmpfs")
                        .putArray("options")
                        .add("nosuid")
                        .add("size=64k");
            }
        });
        for (int i = 0; i < 10; i++) {
            ((ArrayNode) bundle.linux().get("maskedPaths")).add("/mnt/t" + i);
            ((ArrayNode) bundle.linux().get("readonlyPaths")).add("/mnt/t" + (10 + i));
        }
    }

    /** /proc/self/status's lines among {@code output}'s, "Name:\tvalue", as a map. */
    private static Map<String, String> status(String output) {
        Map<String, String> fields = new LinkedHashMap<>();
        output.lines()
                .filter(line -> line.matches("^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):.*"))
                .map(line -> line.split(":\\s+", 2))
                .forEach(f -> fields.put(f[0], f[1]));
        return fields;
    }

    private static List<String> squeezedLines(String output, String prefix) {
        return output.lines()
                .filter(line -> line.startsWith(prefix))
                .map(line -> line.substring(prefix.length()).trim().replaceAll("\\s+", " "))
                .toList();
    }

    @Test
    void everyCapabilityInEverySetWithAUserNamespaceEveryLimitALargeFilterAndManyMounts() throws Exception {
        var seccomp = largeSeccompProfile();
        int instructions = SeccompCompiler.compile(
                        Spec.parse("{\"ociVersion\": \"1.2.1\", \"linux\": {\"seccomp\": " + seccomp + "}}")
                                .linux()
                                .seccomp())
                .instructions()
                .size();
        assertTrue(instructions > 3_000, "the filter has " + instructions + " instructions");
        var bundle = TestBundle.create(work.resolve("bundle"))
                .shell(STATUS + "; sed 's/^/uid /' /proc/self/uid_map; sed 's/^/gid /' /proc/self/gid_map;"
                        + " cat /proc/self/limits; mkdir /tmp/x; echo mkdir=$?;"
                        + " touch /mnt/t15/x; echo readonly=$?; touch /mnt/t3/x; echo masked=$?;"
                        + " touch /mnt/t39/x; echo writable=$?; echo mounts=$(grep -c ' /mnt/t' /proc/self/mountinfo)");
        userNamespace(bundle, 5);
        capabilities(bundle.process(), everyCapability(), everyCapability());
        EveryRlimit.addTo(bundle.process());
        bundle.linux().set("seccomp", seccomp);
        manyMounts(bundle);

        var outcome = run("extremes", bundle);

        String all = mask(everyCapability());
        assertEquals(
                Map.of(
                        "CapInh", all,
                        "CapPrm", all,
                        "CapEff", all,
                        "CapBnd", all,
                        "CapAmb", all,
                        "NoNewPrivs", "1",
                        "Seccomp", "2"),
                status(outcome.stdout()),
                outcome.stdout());
        assertEquals(mapLines(5), squeezedLines(outcome.stdout(), "uid "));
        assertEquals(mapLines(5), squeezedLines(outcome.stdout(), "gid "));
        EveryRlimit.assertApplied(outcome.stdout());
        assertTrue(outcome.stderr().contains("Operation not supported"), outcome.stderr());
        assertTrue(
                outcome.stdout().contains("mkdir=1\nreadonly=1\nmasked=1\nwritable=0\n"),
                outcome.stdout() + outcome.stderr());
        int mounts = Integer.parseInt(squeezedLines(outcome.stdout(), "mounts=").getFirst());
        assertTrue(mounts >= EXTRA_MOUNTS, mounts + " mounts on /mnt/t*");
    }

    @Test
    void anEmptyBoundingSetInAUserNamespaceIsDroppedByTheChildWithoutNoNewPrivileges() throws Exception {
        var bundle = TestBundle.create(work.resolve("bundle")).shell(STATUS);
        userNamespace(bundle, 3);
        capabilities(bundle.process(), List.of(), List.of());
        bundle.process().put("noNewPrivileges", false);
        bundle.linux().set("seccomp", largeSeccompProfile());

        var outcome = run("no-capabilities", bundle);

        String none = mask(List.of());
        assertEquals(
                Map.of(
                        "CapInh", none,
                        "CapPrm", none,
                        "CapEff", none,
                        "CapBnd", none,
                        "CapAmb", none,
                        "NoNewPrivs", "0",
                        "Seccomp", "2"),
                status(outcome.stdout()),
                outcome.stdout());
    }

    @Test
    void everyCapabilityAndSeveralProcMountsMadeByTheChildOnAKernelWithoutProcfsPidns() throws Exception {
        var bundle = TestBundle.create(work.resolve("bundle"))
                .shell(STATUS + "; for p in /proc /mnt/proc1 /mnt/proc2 /mnt/proc3; do echo $p/[0-9]*; done");
        bundle.edit(config -> {
            ArrayNode mounts = (ArrayNode) config.get("mounts");
            for (int i = 1; i <= 3; i++) {
                mounts.addObject()
                        .put("destination", "/mnt/proc" + i)
                        .put("type", "proc")
                        .put("source", "proc");
            }
        });
        userNamespace(bundle, 2);
        capabilities(bundle.process(), everyCapability(), everyCapability());
        EveryRlimit.addTo(bundle.process());

        System.setProperty(KernelFeatures.FORCE_PROCFS_PIDNS, "false");
        ContainerRun.Outcome outcome;
        try {
            outcome = run("old-kernel", bundle);
        } finally {
            System.clearProperty(KernelFeatures.FORCE_PROCFS_PIDNS);
        }

        assertEquals(mask(everyCapability()), status(outcome.stdout()).get("CapAmb"), outcome.stdout());
        assertEquals(mask(everyCapability()), status(outcome.stdout()).get("CapBnd"), outcome.stdout());
        assertTrue(
                outcome.stdout().endsWith("/proc/1\n/mnt/proc1/1\n/mnt/proc2/1\n/mnt/proc3/1\n"),
                "each proc shows the container's pid namespace: " + outcome.stdout());
    }

    @Test
    void joinedNamespacesAndEveryCapabilityOfThisRuntimeInEverySet() throws Exception {
        // Without a user namespace the process can have no capability this JVM's bounding set
        // lacks (these machines' root has no CAP_SYS_RESOURCE): capset(2) would refuse it.
        long own = Long.parseLong(
                Files.readAllLines(Path.of("/proc/self/status")).stream()
                        .filter(line -> line.startsWith("CapBnd:"))
                        .findFirst()
                        .orElseThrow()
                        .split("\\s+")[1],
                16);
        List<String> runtimes = everyCapability().stream()
                .filter(name -> (own & (1L << CapabilityNames.number(name))) != 0)
                .toList();
        Container held = containers.create(
                "held",
                TestBundle.create(work.resolve("held")).args("true").write(),
                new CreateOptions(EngineChoice.CLONE, Stdio.inherit()));
        try {
            var bundle = TestBundle.create(work.resolve("bundle"))
                    .shell(STATUS + "; for n in net ipc uts; do echo $n=$(readlink /proc/self/ns/$n); done")
                    .withoutNamespaces("network", "ipc", "uts");
            bundle.edit(config -> config.remove("hostname"));
            for (String type : new String[] {"network", "ipc", "uts"}) {
                String name = type.equals("network") ? "net" : type;
                ((ArrayNode) bundle.linux().get("namespaces"))
                        .addObject()
                        .put("type", type)
                        .put("path", "/proc/" + held.pid() + "/ns/" + name);
            }
            capabilities(bundle.process(), runtimes, runtimes);
            EveryRlimit.addTo(bundle.process());

            var outcome = run("joined", bundle);

            assertEquals(mask(runtimes), status(outcome.stdout()).get("CapAmb"), outcome.stdout());
            assertEquals(mask(runtimes), status(outcome.stdout()).get("CapEff"), outcome.stdout());
            for (String name : new String[] {"net", "ipc", "uts"}) {
                String joined = Files.readSymbolicLink(Path.of("/proc", String.valueOf(held.pid()), "ns", name))
                        .toString();
                assertTrue(outcome.stdout().contains(name + "=" + joined + "\n"), outcome.stdout());
            }
        } finally {
            held.delete(true);
        }
    }
}
