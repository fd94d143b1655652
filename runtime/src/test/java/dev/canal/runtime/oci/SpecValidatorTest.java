package dev.canal.runtime.oci;

import static dev.canal.runtime.oci.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {

    @Test
    void theSmallestValidSpecHasAVersionAndARoot() {
        assertEquals(List.of(), problemsOf(""));
    }

    @Test
    void ociVersionMustBeThereAndBeOneDotSomething() {
        assertEquals(List.of("ociVersion: missing"), problemsOfDocument("{'root': {'path': 'rootfs'}}"));
        assertEquals(
                List.of("ociVersion: \"2.0.0\" is not a 1.x version"),
                problemsOfDocument("{'ociVersion': '2.0.0', 'root': {'path': 'rootfs'}}"));
        assertEquals(List.of(), problemsOfDocument("{'ociVersion': '1.0.2-dev', 'root': {'path': 'rootfs'}}"));
    }

    @Test
    void rootAndItsPathMustBeThere() {
        assertEquals(List.of("root: missing"), problemsOfDocument("{'ociVersion': '1.2.1'}"));
        assertEquals(List.of("root.path: missing"), problemsOfDocument("{'ociVersion': '1.2.1', 'root': {}}"));
    }

    @Test
    void hostAndDomainNamesAreAtMost64Bytes() {
        String longest = "h".repeat(64);
        assertEquals(List.of(), problemsOf("'hostname': '" + longest + "', 'domainname': '" + longest + "'"));
        assertEquals(
                List.of(
                        "hostname: 100 bytes is longer than 64, the most sethostname(2) takes (HOST_NAME_MAX)",
                        "domainname: 65 bytes is longer than 64, the most setdomainname(2) takes (HOST_NAME_MAX)"),
                problemsOf("'hostname': '" + "h".repeat(100) + "', 'domainname': '" + "d".repeat(65) + "'"));
    }

    @Test
    void aProcessNeedsArgsAndAnAbsoluteCwd() {
        assertEquals(List.of("process.args: must not be empty"), problemsOf("'process': {'cwd': '/'}"));
        assertEquals(List.of("process.cwd: missing"), problemsOf("'process': {'args': ['sh']}"));
        assertEquals(
                List.of("process.cwd: must be an absolute path, got \"tmp\""),
                problemsOf("'process': {'args': ['sh'], 'cwd': 'tmp'}"));
    }

    @Test
    void rlimitsAreKnownOnceWithSoftAtMostHard() {
        assertEquals(
                List.of("process.rlimits[0].type: unknown rlimit \"RLIMIT_FILES\""),
                problemsOf(process("{'type': 'RLIMIT_FILES', 'hard': 1, 'soft': 1}")));
        assertEquals(
                List.of("process.rlimits[1].type: duplicate rlimit \"RLIMIT_NOFILE\""),
                problemsOf(process("{'type': 'RLIMIT_NOFILE', 'hard': 1, 'soft': 1}, "
                        + "{'type': 'RLIMIT_NOFILE', 'hard': 2, 'soft': 2}")));
        assertEquals(
                List.of("process.rlimits[0].soft: 2048 is above the hard limit 1024"),
                problemsOf(process("{'type': 'RLIMIT_NOFILE', 'hard': 1024, 'soft': 2048}")));
        assertEquals(
                List.of("process.rlimits[0].soft: 18446744073709551615 is above the hard limit 1024"),
                problemsOf(process("{'type': 'RLIMIT_CORE', 'hard': 1024, 'soft': 18446744073709551615}")));
        assertEquals(
                List.of("process.rlimits[0].hard: missing"), problemsOf(process("{'type': 'RLIMIT_CORE', 'soft': 1}")));
        assertEquals(
                List.of(), problemsOf(process("{'type': 'RLIMIT_CORE', 'hard': 18446744073709551615, 'soft': 1024}")));
    }

    @Test
    void mountDestinationsAreAbsolute() {
        assertEquals(
                List.of("mounts[1].destination: must be an absolute path, got \"proc\""),
                problemsOf(
                        "'mounts': [{'destination': '/tmp', 'type': 'tmpfs'}, {'destination': 'proc', 'type': 'proc'}]"));
        assertEquals(List.of("mounts[0].destination: missing"), problemsOf("'mounts': [{'type': 'proc'}]"));
    }

    @Test
    void idmappedMountsFollowTheRulesOfIdMappings() {
        assertEquals(
                List.of("mounts[0].uidMappings[0].size: must be greater than 0, got 0"),
                problemsOf(
                        "'mounts': [{'destination': '/data', 'uidMappings': [{'containerID': 0, 'hostID': 1, 'size': 0}]}]"));
    }

    @Test
    void hooksHaveAbsolutePathsAndPositiveTimeouts() {
        assertEquals(
                List.of("hooks.createRuntime[0].path: must be an absolute path, got \"nvidia-ctk\""),
                problemsOf("'hooks': {'createRuntime': [{'path': 'nvidia-ctk'}]}"));
        assertEquals(
                List.of("hooks.poststop[1].timeout: must be greater than 0, got 0"),
                problemsOf("'hooks': {'poststop': [{'path': '/bin/true'}, {'path': '/bin/true', 'timeout': 0}]}"));
    }

    @Test
    void namespacesAreKnownTypesListedOnce() {
        assertEquals(
                List.of("linux.namespaces[2].type: unknown namespace \"pidd\""),
                problemsOf(namespaces("{'type': 'mount'}, {'type': 'uts'}, {'type': 'pidd'}")));
        assertEquals(
                List.of("linux.namespaces[1].type: duplicate namespace \"mount\""),
                problemsOf(namespaces("{'type': 'mount'}, {'type': 'mount'}")));
        assertEquals(
                List.of("linux.namespaces[0].type: missing"), problemsOf(namespaces("{'path': '/proc/1/ns/net'}")));
    }

    @Test
    void aNamespaceToJoinIsAnAbsolutePath() {
        assertEquals(
                List.of("linux.namespaces[0].path: must be an absolute path, got \"proc/1/ns/net\""),
                problemsOf(namespaces("{'type': 'network', 'path': 'proc/1/ns/net'}")));
    }

    @Test
    void idMappingsAreNonEmpty() {
        assertEquals(
                List.of("linux.uidMappings[0].size: must be greater than 0, got 0"),
                problemsOf(userNamespace("'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 0}]")));
    }

    @Test
    void idMappingsStayWithin32Bits() {
        assertEquals(
                List.of("linux.gidMappings[0]: containerID 4294967295 + size 2 is outside the 32-bit id range"),
                problemsOf(userNamespace("'gidMappings': [{'containerID': 4294967295, 'hostID': 0, 'size': 2}]")));
        assertEquals(
                List.of("linux.uidMappings[0]: hostID -1 + size 1 is outside the 32-bit id range"),
                problemsOf(userNamespace("'uidMappings': [{'containerID': 0, 'hostID': -1, 'size': 1}]")));
    }

    @Test
    void idMappingsDoNotOverlapInsideOrOutside() {
        assertEquals(
                List.of("linux.uidMappings[1]: containerID range 500-1499 overlaps linux.uidMappings[0]"),
                problemsOf(userNamespace("""
                        'uidMappings': [{'containerID': 0, 'hostID': 100000, 'size': 1000},
                                        {'containerID': 500, 'hostID': 200000, 'size': 1000}]""")));
        assertEquals(
                List.of("linux.uidMappings[1]: hostID range 100999-101998 overlaps linux.uidMappings[0]"),
                problemsOf(userNamespace("""
                        'uidMappings': [{'containerID': 0, 'hostID': 100000, 'size': 1000},
                                        {'containerID': 1000, 'hostID': 100999, 'size': 1000}]""")));
    }

    @Test
    void idMappingsNeedAUserNamespace() {
        assertEquals(
                List.of("linux.uidMappings: set without a user namespace in linux.namespaces"),
                problemsOf("'linux': {'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 1}]}"));
    }

    @Test
    void devicesHaveAKnownTypeAnAbsolutePathAndNumbers() {
        assertEquals(
                List.of("linux.devices[0].type: unknown device type \"x\""),
                problemsOf(devices("{'path': '/dev/fuse', 'type': 'x', 'major': 10, 'minor': 229}")));
        assertEquals(
                List.of("linux.devices[0].path: must be an absolute path, got \"dev/fuse\""),
                problemsOf(devices("{'path': 'dev/fuse', 'type': 'c', 'major': 10, 'minor': 229}")));
        assertEquals(
                List.of(
                        "linux.devices[0].major: required for type \"c\"",
                        "linux.devices[0].minor: required for type \"c\""),
                problemsOf(devices("{'path': '/dev/fuse', 'type': 'c'}")));
        assertEquals(List.of(), problemsOf(devices("{'path': '/dev/initctl', 'type': 'p'}")));
    }

    @Test
    void timeOffsetsAreForTwoClocksInATimeNamespace() {
        assertEquals(
                List.of("linux.timeOffsets.realtime: only monotonic and boottime can be offset"),
                problemsOf("'linux': {'namespaces': [{'type': 'time'}], 'timeOffsets': {'realtime': {'secs': 10}}}"));
        assertEquals(
                List.of("linux.timeOffsets: set without a time namespace in linux.namespaces"),
                problemsOf("'linux': {'timeOffsets': {'boottime': {'secs': 10}}}"));
    }

    @Test
    void rootfsPropagationIsAMountPropagation() {
        assertEquals(
                List.of("linux.rootfsPropagation: unknown propagation \"recursive\""),
                problemsOf("'linux': {'rootfsPropagation': 'recursive'}"));
        assertEquals(List.of(), problemsOf("'linux': {'rootfsPropagation': 'rslave'}"));
    }

    @Test
    void sysctlKeysAreNotEmpty() {
        assertEquals(List.of("linux.sysctl[\"\"]: empty key"), problemsOf("'linux': {'sysctl': {'': '1'}}"));
    }

    @Test
    void maskedAndReadonlyPathsAreAbsolute() {
        assertEquals(
                List.of("linux.maskedPaths[1]: must be an absolute path, got \"proc/kcore\""),
                problemsOf("'linux': {'maskedPaths': ['/proc/acpi', 'proc/kcore']}"));
        assertEquals(
                List.of("linux.readonlyPaths[0]: must be an absolute path, got \"sys\""),
                problemsOf("'linux': {'readonlyPaths': ['sys']}"));
    }

    @Test
    void aBindMountNeedsASource() {
        assertEquals(
                List.of("mounts[0].source: missing: a bind mount needs one"),
                problemsOf("'mounts': [{'destination': '/data', 'type': 'bind', 'options': ['rbind']}]"));
        assertEquals(List.of(), problemsOf("'mounts': [{'destination': '/tmp', 'type': 'tmpfs'}]"));
    }

    /** The kernel takes C strings, which end at a NUL: found by ConfigMutationTest, a NUL was cut or thrown on. */
    @Test
    void noStringHoldsANulButTheFreeFormOnes() {
        assertEquals(
                List.of(
                        "process.args[1]: holds a NUL character, which no system call can take",
                        "linux.sysctl[\"net.x\"]: holds a NUL character, which no system call can take",
                        "linux.maskedPaths[0]: holds a NUL character, which no system call can take",
                        "linux.maskedPaths[0]: must be an absolute path, got \"a\\u0000b\""),
                problemsOf("'process': {'args': ['sh', 'a\\u0000b'], 'cwd': '/'}, "
                        + "'linux': {'sysctl': {'net.x': '1\\u0000'}, 'maskedPaths': ['a\\u0000b']}"));
        assertEquals(List.of(), problemsOf("'annotations': {'a': 'free\\u0000form'}, 'unknownToTheSpec': 'x\\u0000y'"));
        // A member named otherwise in JSON than in its record (ioClass) is named as in JSON.
        assertEquals(
                List.of("process.ioPriority.class: holds a NUL character, which no system call can take"),
                problemsOf("'process': {'args': ['sh'], 'cwd': '/', 'ioPriority': {'class': 'IOPRIO_CLASS_BE\\u0000'}}")
                        .stream()
                        .filter(problem -> problem.contains("NUL"))
                        .toList());
    }

    /** Found by ConfigMutationTest: a value with a newline, or a very long one, quoted back as it was. */
    @Test
    void quotedValuesStayOnOneShortLine() {
        assertEquals(
                List.of("process.cwd: must be an absolute path, got \"line\\nbreak\""),
                problemsOf("'process': {'args': ['sh'], 'cwd': 'line\\nbreak'}"));
        assertEquals(
                List.of("process.cwd: must be an absolute path, got \"" + "x".repeat(100) + "\"... (5000 characters)"),
                problemsOf("'process': {'args': ['sh'], 'cwd': '" + "x".repeat(5000) + "'}"));
    }

    /** Found by ConfigMutationTest: 4294967296 was cut to 0 (root) on its way to setresuid(2). */
    @Test
    void userAndGroupIdsAre32BitsAndNotMinusOne() {
        assertEquals(
                List.of(
                        "process.user.uid: 4294967296 is outside 0 to 4294967294",
                        "process.user.gid: 4294967295 is outside 0 to 4294967294",
                        "process.user.additionalGids[1]: -1 is outside 0 to 4294967294"),
                problemsOf("'process': {'args': ['sh'], 'cwd': '/', 'user': {'uid': 4294967296, 'gid': 4294967295, "
                        + "'additionalGids': [2147483648, -1]}}"));
    }

    /** Found by ConfigMutationTest: capset(2) refused it (EPERM) in the child, without naming the field. */
    @Test
    void effectiveCapabilitiesArePermittedOnes() {
        assertEquals(
                List.of("process.capabilities.effective[1]: \"CAP_KILL\" is not in process.capabilities.permitted"),
                problemsOf("'process': {'args': ['sh'], 'cwd': '/', 'capabilities': "
                        + "{'effective': ['CAP_CHOWN', 'CAP_KILL'], 'permitted': ['CAP_CHOWN']}}"));
    }

    /** Found by ConfigMutationTest: sethostname(2) refused a long name (EINVAL) without naming the field. */
    @Test
    void hostAndDomainNamesFitTheKernelsSixtyFourBytes() {
        assertEquals(List.of(), problemsOf("'hostname': '" + "h".repeat(64) + "'"));
        assertEquals(
                List.of("domainname: 65 bytes is longer than 64, the most setdomainname(2) takes (HOST_NAME_MAX)"),
                problemsOf("'domainname': '" + "d".repeat(65) + "'"));
    }

    @Test
    void requireValidThrowsEveryProblemOnOneLine() {
        Spec spec = Spec.parse(json("{'ociVersion': '1.2.1', 'root': {'path': 'rootfs'}, 'process': {'cwd': 'x'}}"));
        var error =
                assertThrows(InvalidSpecException.class, () -> SpecValidator.requireValid(spec, "bundle/config.json"));
        assertEquals(
                "bundle/config.json: process.args: must not be empty; process.cwd: must be an absolute path, got \"x\"",
                error.getMessage());
    }

    /** The problems of a minimal valid spec with {@code members} (single-quoted JSON) added. */
    private static List<String> problemsOf(String members) {
        String extra = members.isEmpty() ? "" : ", " + members;
        return problemsOfDocument("{'ociVersion': '1.2.1', 'root': {'path': 'rootfs'}" + extra + "}");
    }

    private static List<String> problemsOfDocument(String singleQuotedJson) {
        return SpecValidator.validate(Spec.parse(json(singleQuotedJson)));
    }

    private static String process(String rlimits) {
        return "'process': {'args': ['sh'], 'cwd': '/', 'rlimits': [" + rlimits + "]}";
    }

    private static String namespaces(String namespaces) {
        return "'linux': {'namespaces': [" + namespaces + "]}";
    }

    private static String userNamespace(String mappings) {
        return "'linux': {'namespaces': [{'type': 'user'}], " + mappings + "}";
    }

    private static String devices(String devices) {
        return "'linux': {'devices': [" + devices + "]}";
    }
}
