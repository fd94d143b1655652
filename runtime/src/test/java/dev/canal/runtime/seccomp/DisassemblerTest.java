package dev.canal.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A tiny profile compiled and listed, checked instruction by instruction (the listing in docs/seccomp.md). */
class DisassemblerTest {

    private static final String TINY = """
            {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
              {"names": ["getppid"], "action": "SCMP_ACT_ALLOW"},
              {"names": ["getpriority"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]}
            ]}
            """;

    @Test
    void aTinyProfileInstructionByInstruction() {
        // getppid is 110 and getpriority 140 on x86_64 (asm/unistd_64.h); AUDIT_ARCH_X86_64 is
        // 0xc000003e; ERRNO(1) is SECCOMP_RET_ERRNO (0x00050000) | EPERM; args[0] sits at byte 16
        // of seccomp_data, its high word at 20.
        assertEquals("""
                 line  OP   JT   JF   K
                =================================
                 0000: 0x20 0x00 0x00 0x00000004   ld  arch
                 0001: 0x15 0x01 0x00 0xc000003e   jeq 0xc000003e  true:0003 false:0002
                 0002: 0x06 0x00 0x00 0x00000000   ret KILL_THREAD
                 0003: 0x20 0x00 0x00 0x00000000   ld  nr
                 0004: 0x35 0x00 0x02 0x40000000   jge 0x40000000  true:0005 false:0007
                 0005: 0x15 0x01 0x00 0xffffffff   jeq 0xffffffff  true:0007 false:0006
                 0006: 0x06 0x00 0x00 0x00000000   ret KILL_THREAD
                 0007: 0x15 0x06 0x00 0x0000006e   jeq 110         true:0014 false:0008
                 0008: 0x15 0x06 0x00 0x0000008c   jeq 140         true:0015 false:0009
                 0009: 0x25 0x01 0x00 0x0000008c   jgt 140         true:0011 false:0010
                 0010: 0x06 0x00 0x00 0x00050001   ret ERRNO(1)
                 0011: 0x15 0x01 0x00 0xffffffff   jeq 0xffffffff  true:0013 false:0012
                 0012: 0x06 0x00 0x00 0x00050026   ret ERRNO(38)
                 0013: 0x06 0x00 0x00 0x00050001   ret ERRNO(1)
                 0014: 0x06 0x00 0x00 0x7fff0000   ret ALLOW
                 0015: 0x20 0x00 0x00 0x00000014   ld  args[0].hi
                 0016: 0x15 0x00 0x03 0x00000000   jeq 0           true:0017 false:0020
                 0017: 0x20 0x00 0x00 0x00000010   ld  args[0].lo
                 0018: 0x15 0x00 0x01 0x00000002   jeq 2           true:0019 false:0020
                 0019: 0x06 0x00 0x00 0x7fff0000   ret ALLOW
                 0020: 0x06 0x00 0x00 0x00050001   ret ERRNO(1)
                """, SeccompCompiler.compile(Profiles.parse(TINY)).disassemble());
    }

    @Test
    void theTinyProgramDecidesAsItsListingSays() {
        List<ClassicBpfInstruction> program =
                SeccompCompiler.compile(Profiles.parse(TINY)).instructions();
        int x86_64 = Arch.X86_64.auditArch();
        assertEquals("ALLOW", verdict(program, x86_64, 110, 0));
        assertEquals("ALLOW", verdict(program, x86_64, 140, 2));
        assertEquals("ERRNO(1)", verdict(program, x86_64, 140, 0));
        assertEquals("ERRNO(1)", verdict(program, x86_64, 140, 2 | 1L << 32));
        assertEquals("ERRNO(1)", verdict(program, x86_64, 39, 0));
        assertEquals("ERRNO(38)", verdict(program, x86_64, 435, 0));
        assertEquals("ERRNO(1)", verdict(program, x86_64, -1, 0));
        assertEquals("KILL_THREAD", verdict(program, x86_64, Arch.X32_SYSCALL_BIT + 110, 0));
        assertEquals("KILL_THREAD", verdict(program, Arch.X86.auditArch(), 64, 0));
    }

    private static String verdict(List<ClassicBpfInstruction> program, int arch, int nr, long arg0) {
        return new SeccompAction(FilterComparison.verdict(program, nr, arch, new long[] {arg0, 0, 0, 0, 0, 0}))
                .toString();
    }
}
