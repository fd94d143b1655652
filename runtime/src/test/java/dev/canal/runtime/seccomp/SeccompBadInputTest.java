package dev.canal.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each kind of bad linux.seccomp section gets a one-line error that names the JSON path. */
class SeccompBadInputTest {

    @Test
    void anUnknownSystemCall() {
        // No architecture has it: a typo, not a call of another architecture (those are skipped).
        assertError("linux.seccomp.syscalls[1].names[1]: unknown system call \"opne\"", """
                {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86"], "syscalls": [
                  {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
                  {"names": ["open", "opne"], "action": "SCMP_ACT_ALLOW"}]}
                """);
    }

    @Test
    void aCallOnlyOneAbiHasIsSkippedOnTheOthers() {
        // accept does not exist on i386, socketcall only there: libseccomp skips, so does Canal.
        var program = SeccompCompiler.compile(Profiles.parse("""
                {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86"], "syscalls": [
                  {"names": ["accept", "socketcall"], "action": "SCMP_ACT_ALLOW"}]}
                """));
        String listing = program.disassemble();
        assertEquals(
                1, listing.lines().filter(line -> line.contains("jeq 43 ")).count(), "accept on x86_64:\n" + listing);
        assertEquals(
                1,
                listing.lines().filter(line -> line.contains("jeq 102 ")).count(),
                "socketcall on i386:\n" + listing);
    }

    @Test
    void anUnknownAction() {
        assertError(
                "linux.seccomp.syscalls[0].action: unknown action \"SCMP_ACT_ALLOWED\"",
                "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOWED\"}]}");
        assertError("linux.seccomp.defaultAction: unknown action \"ALLOW\"", "{\"defaultAction\": \"ALLOW\"}");
        assertError("linux.seccomp.defaultAction: missing", "{\"syscalls\": []}");
    }

    @Test
    void notifyIsRefusedClearly() {
        assertError(
                "linux.seccomp.syscalls[0].action: SCMP_ACT_NOTIFY needs a seccomp listener socket (listenerPath),"
                        + " which Canal does not support",
                "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}");
        assertError(
                "linux.seccomp.listenerPath: seccomp notify listeners (SCMP_ACT_NOTIFY) are not supported",
                "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"/run/agent.sock\"}");
    }

    @Test
    void anUnknownArchitecture() {
        assertError(
                "linux.seccomp.architectures[1]: unknown or unsupported architecture \"SCMP_ARCH_AARCH64\""
                        + " (supported: SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32)",
                "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_AARCH64\"]}");
    }

    @Test
    void aBadComparison() {
        assertError(
                "linux.seccomp.syscalls[0].args[1].op: unknown comparison \"SCMP_CMP_EQUAL\"",
                rule(
                        "\"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}, {\"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_EQUAL\"}]"));
        assertError("linux.seccomp.syscalls[0].args[0].op: missing", rule("\"args\": [{\"index\": 0, \"value\": 1}]"));
        assertError(
                "linux.seccomp.syscalls[0].args[0].value: missing",
                rule("\"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_EQ\"}]"));
    }

    @Test
    void anArgumentIndexBeyondFive() {
        assertError(
                "linux.seccomp.syscalls[0].args[0].index: must be 0 to 5 (a system call has six arguments), got 6",
                rule("\"args\": [{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]"));
    }

    @Test
    void anErrnoOutOfRange() {
        assertError(
                "linux.seccomp.syscalls[0].errnoRet: must be 0 to 4095, got 4096",
                "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 4096}]}");
        assertError(
                "linux.seccomp.defaultErrnoRet: must be 0 to 65535, got 65536",
                "{\"defaultAction\": \"SCMP_ACT_TRACE\", \"defaultErrnoRet\": 65536}");
        assertError(
                "linux.seccomp.syscalls[0].errnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errnoRet, not SCMP_ACT_KILL_PROCESS",
                "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_KILL_PROCESS\", \"errnoRet\": 1}]}");
    }

    @Test
    void flags() {
        assertError(
                "linux.seccomp.flags[1]: unknown flag \"SECCOMP_FILTER_FLAG_LOUD\"",
                "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\", \"SECCOMP_FILTER_FLAG_LOUD\"]}");
        assertError(
                "linux.seccomp.flags[0]: the runtime installs the filter in the container process itself;"
                        + " TSYNC is not a config.json flag",
                "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_TSYNC\"]}");
        assertError(
                "linux.seccomp.flags[0]: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV belongs to SCMP_ACT_NOTIFY, which Canal does not support",
                "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]}");
        assertEquals(2 | 4, SeccompCompiler.compile(Profiles.parse("""
                {"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"]}
                """)).flags());
    }

    @Test
    void rulesThatContradictEachOther() {
        assertError(
                "linux.seccomp.syscalls[1]: \"read\" already has action ALLOW under the same conditions from"
                        + " linux.seccomp.syscalls[0], cannot also be ERRNO(5)",
                """
                {"defaultAction": "SCMP_ACT_KILL_PROCESS", "syscalls": [
                  {"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
                  {"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5, "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]}]}
                """);
        assertError(
                "linux.seccomp.syscalls[0].names: must name at least one system call",
                "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [], \"action\": \"SCMP_ACT_ERRNO\"}]}");
    }

    @Test
    void ofTwoUnconditionalRulesTheFirstWins() {
        // As libseccomp and runtime-spec config-linux.md: "only the first entry is effective".
        // podman's profile has setns allowed in one rule and denied in a later one.
        String listing = SeccompCompiler.compile(Profiles.parse("""
                {"defaultAction": "SCMP_ACT_KILL_PROCESS", "architectures": [], "syscalls": [
                  {"names": ["setns"], "action": "SCMP_ACT_ALLOW"},
                  {"names": ["setns"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
                """)).disassemble();
        assertEquals(
                1, listing.lines().filter(line -> line.contains("jeq 308 ")).count(), listing);
        assertTrue(listing.lines().noneMatch(line -> line.contains("ret ERRNO(1)")), listing);
    }

    @Test
    void aFilterLongerThanTheKernelTakes() {
        // An argument rule on every call of all three ABIs: more than BPF_MAXINSNS instructions.
        String rules = Arch.X86.table().numbers().keySet().stream()
                .map(name ->
                        "{\"names\": [\"%s\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_GE\"}]}"
                                .formatted(name))
                .collect(Collectors.joining(","));
        var error = assertThrows(
                InvalidSeccompException.class,
                () -> SeccompCompiler.compile(Profiles.parse(
                        "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"], \"syscalls\": ["
                                + rules + "]}")));
        assertTrue(
                error.getMessage()
                        .matches("linux\\.seccomp: the filter needs \\d+ BPF instructions, more than"
                                + " the kernel's limit of 4096 \\(BPF_MAXINSNS\\)"),
                error.getMessage());
    }

    private static String rule(String args) {
        return "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", "
                + args + "}]}";
    }

    private static void assertError(String expected, String json) {
        var error = assertThrows(InvalidSeccompException.class, () -> SeccompCompiler.compile(Profiles.parse(json)));
        assertEquals(expected, error.getMessage());
    }
}
