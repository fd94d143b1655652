package dev.canal.runtime.seccomp;

import dev.canal.bindings.linux.linux_h;
import java.util.Arrays;
import java.util.Optional;

/**
 * The system call ABIs a filter can cover, by their runtime-spec / libseccomp names.
 *
 * <p>A filter sees {@code seccomp_data.arch}, the AUDIT_ARCH_* value of the ABI the call came
 * through (linux/audit.h), and {@code seccomp_data.nr}, a number that only means something
 * together with that ABI. An x86_64 kernel accepts three: x86_64 itself, i386 (int 0x80 or a
 * 32-bit process) and x32. x32 reports AUDIT_ARCH_X86_64 as well; its calls are told apart by
 * {@code __X32_SYSCALL_BIT} (0x40000000) set in the number (arch/x86/include/asm/unistd.h).
 */
enum Arch {
    X86_64("SCMP_ARCH_X86_64", linux_h.AUDIT_ARCH_X86_64(), false, "syscalls-x86_64.txt"),
    X86("SCMP_ARCH_X86", linux_h.AUDIT_ARCH_I386(), true, "syscalls-x86.txt"),
    X32("SCMP_ARCH_X32", linux_h.AUDIT_ARCH_X86_64(), true, "syscalls-x32.txt");

    /** Set in every x32 system call number. */
    static final int X32_SYSCALL_BIT = linux_h.__X32_SYSCALL_BIT();

    private final String ociName;
    private final int auditArch;
    private final boolean thirtyTwoBitArgs;
    private final String tableResource;
    private SyscallTable table;

    Arch(String ociName, int auditArch, boolean thirtyTwoBitArgs, String tableResource) {
        this.ociName = ociName;
        this.auditArch = auditArch;
        this.thirtyTwoBitArgs = thirtyTwoBitArgs;
        this.tableResource = tableResource;
    }

    /** The name in config.json, "SCMP_ARCH_X86_64". */
    String ociName() {
        return ociName;
    }

    /** The AUDIT_ARCH_* value the kernel puts in seccomp_data.arch for calls through this ABI. */
    int auditArch() {
        return auditArch;
    }

    /**
     * Whether libseccomp treats the ABI's arguments as 32-bit and compares only their low word.
     * i386 registers hold 32 bits; for x32 libseccomp does the same, and Canal follows it so a
     * profile means the same under both.
     */
    boolean thirtyTwoBitArgs() {
        return thirtyTwoBitArgs;
    }

    synchronized SyscallTable table() {
        if (table == null) {
            table = SyscallTable.load(tableResource);
        }
        return table;
    }

    static Optional<Arch> byOciName(String name) {
        return Arrays.stream(values()).filter(arch -> arch.ociName.equals(name)).findFirst();
    }
}
