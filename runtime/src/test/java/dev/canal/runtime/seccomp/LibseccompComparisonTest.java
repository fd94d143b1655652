package dev.canal.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.oci.Seccomp;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canal's BPF against libseccomp's for the same profiles, run in {@link PossibleVerdicts} (every argument known) over a
 * grid of calls ({@link FilterComparison}). Needs gcc and libseccomp-dev.
 */
class LibseccompComparisonTest {

    /**
     * Left out of every comparison, because Debian 12's libseccomp 2.5.4 (with the 2.5.4-1+deb12u1
     * update, which knows calls up to Linux 6.7) does not know them as today's kernels have them:
     * the calls after 6.7, which it cannot resolve and runc would skip; and map_shadow_stack, which
     * it has on x86_64 only, as Linux 6.6 to 6.8 did, while x32 has it too since 6.9. Canal has
     * them from scripts/syscalls-newer-than-headers.txt; SyscallTablesTest and ProfileNamesTest
     * check their numbers instead, SeccompKernelTest calls some of them.
     */
    private static final Set<String> NEWER_THAN_LIBSECCOMP = Set.of(
            "map_shadow_stack",
            "statmount",
            "listmount",
            "lsm_get_self_attr",
            "lsm_set_self_attr",
            "lsm_list_modules",
            "mseal",
            "uretprobe",
            "setxattrat",
            "getxattrat",
            "listxattrat",
            "removexattrat",
            "open_tree_attr",
            "uprobe",
            "file_getattr",
            "file_setattr",
            "listns",
            "rseq_slice_yield");

    @TempDir
    Path work;

    @Test
    void everyComparisonActionAndAbi() throws Exception {
        int checked = compare(Profiles.parse(Profiles.EVERY_OP));
        assertTrue(checked > 10_000, "the grid covers each ABI's calls with many argument values: " + checked);
    }

    @Test
    void aDenyListWithDefaultAllowOnX86_64Only() throws Exception {
        // No x32 in the profile: x32 numbers must meet the bad-ABI verdict, not x86_64's rules.
        compare(Profiles.parse("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
                  {"names": ["getppid", "uname"], "action": "SCMP_ACT_ERRNO", "errnoRet": 10},
                  {"names": ["getpriority"], "action": "SCMP_ACT_ERRNO", "errnoRet": 3,
                   "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]}
                ]}
                """));
    }

    @Test
    void aTracingDefaultLeavesNewCallsToTheTracer() throws Exception {
        compare(Profiles.parse("""
                {"defaultAction": "SCMP_ACT_TRACE", "defaultErrnoRet": 7,
                 "architectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [
                  {"names": ["read", "write", "exit_group"], "action": "SCMP_ACT_ALLOW"},
                  {"names": ["openat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
                   "args": [{"index": 2, "value": 3, "valueTwo": 1, "op": "SCMP_CMP_MASKED_EQ"}]}
                ]}
                """));
    }

    @Test
    void aProfileLongerThanAConditionalJumpReaches() throws Exception {
        // Every x86_64 call with an argument rule: the rule bodies sit thousands of instructions
        // after the dispatch tests, which reach them through BPF_JA trampolines.
        String rules = Arch.X86_64.table().numbers().keySet().stream()
                .map(name ->
                        "{\"names\": [\"%s\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, \"value\": %d, \"op\": \"SCMP_CMP_LE\"}]}"
                                .formatted(name, name.length()))
                .collect(Collectors.joining(",\n"));
        Seccomp profile =
                Profiles.parse("{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"syscalls\": [" + rules + "]}");
        assertTrue(SeccompCompiler.compile(profile).instructions().size() > 2_000);
        compare(profile);
    }

    @Test
    void aProfileForEveryArchitectureAndNewerKernels() throws Exception {
        compare(Profiles.podmanLike(true));
    }

    @Test
    void theDefaultProfile() throws Exception {
        compare(dev.canal.runtime.oci.DefaultSpec.create(false).linux().seccomp());
    }

    private int compare(Seccomp profile) throws Exception {
        Seccomp comparable = withoutNames(profile, NEWER_THAN_LIBSECCOMP);
        LibseccompReference.Result reference = LibseccompReference.build(comparable, work);
        assertEquals(
                List.of(),
                reference.unknownNames(),
                "libseccomp resolves every other name, those of other architectures too");
        return FilterComparison.assertSameVerdicts(
                comparable, SeccompCompiler.compile(comparable).instructions(), reference.program());
    }

    /** The profile without {@code names}, as runc would load it with a libseccomp that lacks them. */
    private static Seccomp withoutNames(Seccomp profile, Set<String> names) {
        List<Seccomp.Syscall> rules = profile.syscalls().stream()
                .map(rule -> new Seccomp.Syscall(
                        rule.names().stream()
                                .filter(name -> !names.contains(name))
                                .toList(),
                        rule.action(),
                        rule.errnoRet(),
                        rule.args(),
                        rule.unknownFields()))
                .filter(rule -> !rule.names().isEmpty())
                .toList();
        return new Seccomp(
                profile.defaultAction(),
                profile.defaultErrnoRet(),
                profile.architectures(),
                profile.flags(),
                profile.listenerPath(),
                profile.listenerMetadata(),
                rules,
                profile.unknownFields());
    }
}
