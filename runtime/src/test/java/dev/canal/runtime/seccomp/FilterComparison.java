package dev.canal.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.oci.Seccomp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs Canal's filter and libseccomp's for the same profile over a grid of system calls and
 * asserts the same verdict (action and data) for each. The grid: every number each ABI's table
 * knows, numbers beyond it, -1, x32 numbers arriving as x86_64 ones and the other way round, a
 * foreign ABI; for arguments, zeros and values around each condition's boundary in both words.
 *
 * <p>Where Canal deliberately differs from bare libseccomp it behaves like runc, which layers the
 * same on top: calls newer than the profile's newest get ENOSYS instead of a denying default.
 */
final class FilterComparison {

    private static final int FOREIGN_ARCH = linux_h.AUDIT_ARCH_AARCH64();
    private static final int ENOSYS = SeccompAction.errno(linux_h.ENOSYS()).value();

    private FilterComparison() {}

    /**
     * The one verdict {@code program} gives system call {@code nr} of {@code arch} with these
     * arguments: {@link PossibleVerdicts} with every argument known, which doubles as a check of
     * that symbolic run against libseccomp's programs.
     */
    static int verdict(List<ClassicBpfInstruction> program, int nr, int arch, long[] args) {
        Long[] known = Arrays.stream(args).boxed().toArray(Long[]::new);
        Set<Integer> verdicts = PossibleVerdicts.of(program, nr, arch, known)
                .orElseThrow(() -> new AssertionError("no verdict for nr " + nr));
        assertEquals(1, verdicts.size(), "every argument is known, so one path: " + verdicts);
        return verdicts.iterator().next();
    }

    /** Asserts both programs agree; {@code profile} is the one both were built from. */
    static int assertSameVerdicts(
            Seccomp profile, List<ClassicBpfInstruction> canal, List<ClassicBpfInstruction> libseccomp) {
        List<long[]> argumentSets = argumentSets(profile);
        SeccompAction defaultAction = SeccompAction.parse(profile.defaultAction(), profile.defaultErrnoRet(), "", "");
        var mismatches = new ArrayList<String>();
        int checked = 0;
        for (Arch arch : Arch.values()) {
            for (int nr : numbers(arch)) {
                for (long[] args : argumentSets) {
                    int expected = verdict(libseccomp, nr, arch.auditArch(), args);
                    if (expected == defaultAction.value() && newerThanProfile(profile, arch, nr)) {
                        expected = ENOSYS;
                    }
                    int actual = verdict(canal, nr, arch.auditArch(), args);
                    checked++;
                    if (actual != expected && mismatches.size() < 20) {
                        mismatches.add("%s nr=0x%08x args=%s: libseccomp %s, Canal %s"
                                .formatted(
                                        arch,
                                        nr,
                                        Arrays.toString(args),
                                        new SeccompAction(expected),
                                        new SeccompAction(actual)));
                    }
                }
            }
        }
        for (int nr : List.of(0, 1, 59, -1)) {
            long[] none = new long[6];
            if (verdict(canal, nr, FOREIGN_ARCH, none) != verdict(libseccomp, nr, FOREIGN_ARCH, none)) {
                mismatches.add("foreign ABI nr=" + nr);
            }
        }
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + "+ mismatches of " + checked + ":\n" + String.join("\n", mismatches));
        }
        return checked;
    }

    /**
     * The numbers to try for an ABI: its table, beyond its table, and the other ABI's range on
     * the shared AUDIT_ARCH_X86_64. i386's socketcall (102) and ipc (117) are left out: for a
     * rule on socket or semop, libseccomp also adds a rule on the multiplexer with the call's
     * number as its first argument, which Canal does not (see docs/seccomp.md).
     */
    private static Set<Integer> numbers(Arch arch) {
        Set<Integer> numbers = new LinkedHashSet<>(arch.table().numbers().values());
        int highest = arch.table().highest();
        for (int beyond : List.of(1, 2, 50, 1000)) {
            numbers.add(highest + beyond);
        }
        numbers.addAll(List.of(
                -1,
                -2,
                0x3fff_ffff,
                Arch.X32_SYSCALL_BIT - 1,
                Arch.X32_SYSCALL_BIT,
                Arch.X32_SYSCALL_BIT + 1,
                0x7fff_ffff,
                0x8000_0000));
        if (arch == Arch.X86_64) {
            numbers.addAll(Arch.X32.table().numbers().values());
        } else if (arch == Arch.X32) {
            numbers.addAll(Arch.X86_64.table().numbers().values());
        } else {
            numbers.removeAll(List.of(102, 117));
        }
        return numbers;
    }

    private static boolean newerThanProfile(Seccomp profile, Arch arch, int nr) {
        int action = SeccompAction.parse(profile.defaultAction(), profile.defaultErrnoRet(), "", "")
                .action();
        if (action == SeccompAction.ALLOW || action == SeccompAction.LOG || action == SeccompAction.TRACE || nr == -1) {
            return false;
        }
        Set<String> names = new LinkedHashSet<>();
        profile.syscalls().forEach(rule -> names.addAll(rule.names()));
        boolean x32Covered = profile.architectures().contains(Arch.X32.ociName());
        boolean x32Range = Integer.compareUnsigned(nr, Arch.X32_SYSCALL_BIT) >= 0;
        // On AUDIT_ARCH_X86_64 the number, not the ABI the test meant, picks the x86_64 or x32 rules.
        Arch effective = arch == Arch.X86 ? Arch.X86 : x32Range ? Arch.X32 : Arch.X86_64;
        if (effective == Arch.X32 && !x32Covered) {
            return false;
        }
        int highest = names.stream()
                .mapToInt(name -> effective.table().number(name).orElse(-1))
                .max()
                .orElse(-1);
        return highest >= 0 && Integer.compareUnsigned(nr, highest) > 0;
    }

    /** All zeros; then each condition's boundary values, alone and, for multi-argument rules, combined. */
    private static List<long[]> argumentSets(Seccomp profile) {
        var sets = new TreeSet<long[]>(Arrays::compare);
        sets.add(new long[6]);
        for (Seccomp.Syscall rule : profile.syscalls()) {
            List<long[]> combined = new ArrayList<>();
            combined.add(new long[6]);
            for (Seccomp.Arg arg : rule.args()) {
                var next = new ArrayList<long[]>();
                for (long[] base : combined) {
                    for (long value : boundaries(arg)) {
                        long[] args = base.clone();
                        args[(int) arg.index()] = value;
                        next.add(args);
                        if (rule.args().size() > 1) {
                            long[] alone = new long[6];
                            alone[(int) arg.index()] = value;
                            sets.add(alone);
                        }
                    }
                }
                combined = next;
            }
            if (!rule.args().isEmpty()) {
                sets.addAll(combined);
            }
        }
        return List.copyOf(sets);
    }

    private static Set<Long> boundaries(Seccomp.Arg arg) {
        long v = arg.value();
        long high = 1L << 32;
        var values = new LinkedHashSet<Long>(List.of(
                0L,
                -1L,
                v,
                v - 1,
                v + 1,
                v ^ high,
                v + high,
                v - high,
                v | 0xffff_ffff_0000_0000L,
                v & 0xffff_ffffL,
                v ^ 0x8000_0000L));
        if (arg.valueTwo() != null) {
            long w = arg.valueTwo();
            values.addAll(List.of(w, w | ~v, w ^ Long.lowestOneBit(v), w ^ Long.highestOneBit(v), w + high, w ^ 1));
        }
        return values;
    }
}
