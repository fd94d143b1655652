package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.container.ContainerState;
import dev.canal.runtime.ns.NamespaceType;
import dev.canal.runtime.oci.CapabilityNames;
import dev.canal.runtime.oci.Seccomp;
import dev.canal.runtime.rootfs.MountOptions;
import dev.canal.runtime.seccomp.InvalidSeccompException;
import dev.canal.runtime.seccomp.SeccompCompiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code canal-oci features}: the runtime-spec features document. Every name it lists must be
 * one the implementation accepts (a seccomp action that compiles, a mount option that is not
 * passed on as filesystem data), and what the implementation refuses must not be listed.
 */
class OciFeaturesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static JsonNode features;

    @BeforeAll
    static void runFeatures() throws Exception {
        var result = CanalHome.run("canal-oci", Map.of(), "features");
        assertEquals(0, result.exitCode(), result.stderr());
        features = JSON.readTree(result.stdout());
    }

    private static List<String> strings(JsonNode array) {
        assertTrue(array.isArray(), "an array: " + array);
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }

    @Test
    void theVersionsAreTheSpecsCanalFollows() {
        assertEquals("1.0.0", features.get("ociVersionMin").asString());
        assertEquals(ContainerState.OCI_VERSION, features.get("ociVersionMax").asString());
        assertFalse(features.has("potentiallyUnsafeConfigAnnotations"), "Canal acts on no config.json annotation");
    }

    @Test
    void hooksAreTheSixOfTheSpec() {
        assertEquals(
                List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"),
                strings(features.get("hooks")));
    }

    @Test
    void everyNamespaceTypeAndNoOther() {
        List<String> namespaces = strings(features.get("linux").get("namespaces"));
        assertEquals(NamespaceType.values().length, namespaces.size());
        namespaces.forEach(name -> assertTrue(NamespaceType.fromSpecName(name).isPresent(), name));
    }

    @Test
    void everyCapabilityInTheKernelsOrder() {
        List<String> capabilities = strings(features.get("linux").get("capabilities"));
        assertEquals(CapabilityNames.names(), Set.copyOf(capabilities));
        for (int i = 0; i < capabilities.size(); i++) {
            assertEquals(i, CapabilityNames.number(capabilities.get(i)), capabilities.get(i));
        }
    }

    @Test
    void everyMountOptionIsAFlagOrAPropagationNotFilesystemData() {
        List<String> options = strings(features.get("mountOptions"));
        assertTrue(
                options.containsAll(List.of("ro", "rw", "nosuid", "bind", "rbind", "rprivate", "strictatime")),
                options.toString());
        for (String option : options) {
            assertEquals("", MountOptions.parse(List.of(option)).data(), option + " is recognised");
        }
        assertFalse(options.contains("tmpcopyup"), "not implemented: tmpcopyup");
        assertEquals(
                "mode=755",
                MountOptions.parse(List.of("mode=755")).data(),
                "what is not listed goes to the filesystem");
    }

    @Test
    void cgroupsAreCanalsOwnOnBothVersionsWithoutSystemd() {
        JsonNode cgroup = features.get("linux").get("cgroup");
        assertEquals(
                Map.of("v1", true, "v2", true, "systemd", false, "systemdUser", false, "rdma", true),
                JSON.convertValue(cgroup, Map.class));
    }

    @Test
    void whatCanalRefusesIsReportedAsNotImplemented() {
        JsonNode linux = features.get("linux");
        for (String feature : List.of("apparmor", "selinux", "intelRdt")) {
            assertFalse(linux.get(feature).get("enabled").asBoolean(true), feature);
        }
        assertFalse(linux.get("mountExtensions").get("idmap").get("enabled").asBoolean(true));
    }

    @Test
    void everySeccompActionCompilesAndNotifyIsNotListed() {
        JsonNode seccomp = features.get("linux").get("seccomp");
        assertTrue(seccomp.get("enabled").asBoolean());
        List<String> actions = strings(seccomp.get("actions"));
        assertEquals(8, actions.size(), actions.toString());
        for (String action : actions) {
            assertDoesNotThrow(() -> SeccompCompiler.compile(filter(action, List.of(), List.of(), List.of())), action);
        }
        assertFalse(actions.contains("SCMP_ACT_NOTIFY"));
        assertThrows(
                InvalidSeccompException.class,
                () -> SeccompCompiler.compile(filter("SCMP_ACT_NOTIFY", List.of(), List.of(), List.of())));
    }

    @Test
    void everySeccompOperatorArchitectureAndFlagCompiles() {
        JsonNode seccomp = features.get("linux").get("seccomp");
        for (String op : strings(seccomp.get("operators"))) {
            var rule = new Seccomp.Syscall(
                    List.of("personality"),
                    "SCMP_ACT_ERRNO",
                    null,
                    List.of(new Seccomp.Arg(0, 8L, op.equals("SCMP_CMP_MASKED_EQ") ? 8L : null, op, Map.of())),
                    Map.of());
            assertDoesNotThrow(
                    () -> SeccompCompiler.compile(filter("SCMP_ACT_ALLOW", List.of(), List.of(), List.of(rule))), op);
        }
        assertEquals(List.of("SCMP_ARCH_X32", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64"), strings(seccomp.get("archs")));
        for (String arch : strings(seccomp.get("archs"))) {
            assertDoesNotThrow(
                    () -> SeccompCompiler.compile(filter("SCMP_ACT_ALLOW", List.of(arch), List.of(), List.of())), arch);
        }
        List<String> known = strings(seccomp.get("knownFlags"));
        List<String> supported = strings(seccomp.get("supportedFlags"));
        assertTrue(known.containsAll(supported), "supported flags are known ones");
        for (String flag : known) {
            assertDoesNotThrow(
                    () -> SeccompCompiler.compile(filter("SCMP_ACT_ALLOW", List.of(), List.of(flag), List.of())), flag);
        }
        assertFalse(known.contains("SECCOMP_FILTER_FLAG_TSYNC"), "refused in config.json: " + known);
    }

    @Test
    void annotationsNameCanalsVersionUnderItsOwnPrefix() {
        var annotations = JSON.convertValue(features.get("annotations"), Map.class);
        assertEquals(
                Set.of("dev.canal.version", "dev.canal.java.version", "dev.canal.checkpoint.enabled"),
                annotations.keySet());
        assertEquals("false", annotations.get("dev.canal.checkpoint.enabled"));
    }

    @Test
    void anArgumentIsRefusedInOneLine() throws Exception {
        var extra = CanalHome.run("canal-oci", Map.of(), "features", "extra");
        assertEquals(2, extra.exitCode());
        assertTrue(extra.stderr().startsWith("Unmatched argument at index 1: 'extra'\n"), extra.stderr());
    }

    private static Seccomp filter(
            String defaultAction, List<String> architectures, List<String> flags, List<Seccomp.Syscall> rules) {
        return new Seccomp(defaultAction, null, architectures, flags, null, null, rules, Map.of());
    }
}
