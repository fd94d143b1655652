package dev.canal.runtime.seccomp;

import java.util.Arrays;
import java.util.Set;

/**
 * Every system call name libseccomp knows on any of its architectures: its seccomp-syscalls.h
 * defines {@code __SNR_<name>} for each, and scripts/generate-syscall-tables lists them.
 *
 * <p>Docker's and podman's profiles name the calls of all architectures in one list
 * ({@code pciconfig_iobase} exists on arm and powerpc, {@code send} and {@code recv} on arm, mips
 * and others, not on x86). libseccomp resolves such a name to nothing on an x86 ABI and skips the
 * rule there, as it does for {@code socketcall} on x86_64; runc loads the rest. Canal does the
 * same, and still refuses a name that no architecture has: most likely a typo.
 */
final class KnownSyscallNames {

    private KnownSyscallNames() {}

    /** Read once, on first use. */
    private static final class Holder {
        static final Set<String> NAMES = Set.copyOf(SeccompResources.lines("syscall-names-any-arch.txt"));
    }

    /**
     * Whether {@code name} is a system call of some architecture: one libseccomp knows, or one of
     * Canal's x86 tables, which also hold calls newer than libseccomp (mseal on Debian 12's 2.5.4).
     */
    static boolean anyArchitectureHas(String name) {
        return Holder.NAMES.contains(name)
                || Arrays.stream(Arch.values())
                        .anyMatch(arch -> arch.table().number(name).isPresent());
    }
}
