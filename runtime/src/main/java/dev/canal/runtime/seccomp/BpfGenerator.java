package dev.canal.runtime.seccomp;

import static dev.canal.runtime.seccomp.ClassicBpfInstruction.JUMP_EQUAL;
import static dev.canal.runtime.seccomp.ClassicBpfInstruction.JUMP_GREATER;
import static dev.canal.runtime.seccomp.ClassicBpfInstruction.JUMP_GREATER_OR_EQUAL;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.seccomp.Assembler.Label;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the BPF program for a {@link FilterPlan}. The kernel runs it on every system call with
 * a {@code struct seccomp_data} (linux/seccomp.h) as its input, readable word by word:
 * <pre>
 *   ld arch            which ABI?  x86_64/x32 share AUDIT_ARCH_X86_64, i386 has its own
 *   jeq ...            ... one test per ABI family; none matches: kill (libseccomp's default)
 *   ld nr              the call's number; on AUDIT_ARCH_X86_64 the x32 bit picks x86_64 or x32
 *   jeq nr, rules      one test per call that has rules (calls with a plain action jump straight
 *                      to a shared "ret ACTION" close by)
 *   ...                no rule: ENOSYS above the newest call the profile names, else the default
 *   rules:             for each rule, test its argument conditions, then "ret ACTION"
 * </pre>
 */
final class BpfGenerator {

    // The offsets in struct seccomp_data (seccomp(2)), written out (checked against jextract's by
    // BpfGeneratorOffsetsTest): jextract's struct class makes a VarHandle for its args array when
    // initialised, method handle classes spun at run time in every JVM (docs/start-time.md).
    static final int NR = 0;
    static final int ARCH = 4;
    static final int ARGS = 16;
    /** The number a tracer sets to skip a call (seccomp(2): filters run again after the tracer). */
    private static final int SKIPPED_CALL = -1;
    /** What a call through an ABI the filter does not cover gets: libseccomp's default, SCMP_ACT_KILL. */
    private static final int BAD_ARCH = SeccompAction.KILL_THREAD;
    /** How many dispatch tests share one pool of return instructions, keeping every jump short. */
    private static final int DISPATCH_CHUNK = 128;

    private final Assembler asm = new Assembler();
    private final FilterPlan plan;

    private BpfGenerator(FilterPlan plan) {
        this.plan = plan;
    }

    static SeccompProgram generate(FilterPlan plan) {
        var generator = new BpfGenerator(plan);
        generator.program();
        List<ClassicBpfInstruction> instructions = generator.asm.assemble();
        if (instructions.size() > linux_h.BPF_MAXINSNS()) {
            throw new InvalidSeccompException(
                    "linux.seccomp",
                    "the filter needs " + instructions.size() + " BPF instructions, more than the kernel's limit of "
                            + linux_h.BPF_MAXINSNS() + " (BPF_MAXINSNS)");
        }
        return new SeccompProgram(instructions, plan.flags());
    }

    private void program() {
        Map<Integer, List<Arch>> families = new LinkedHashMap<>();
        for (Arch arch : plan.arches()) {
            families.computeIfAbsent(arch.auditArch(), a -> new ArrayList<>()).add(arch);
        }
        asm.load(ARCH);
        Map<Integer, Label> familyCode = new LinkedHashMap<>();
        for (int auditArch : families.keySet()) {
            Label code = asm.label();
            familyCode.put(auditArch, code);
            jumpIf(JUMP_EQUAL, auditArch, code);
        }
        asm.ret(BAD_ARCH);
        for (var family : families.entrySet()) {
            asm.bind(familyCode.get(family.getKey()));
            asm.load(NR);
            List<Arch> arches = family.getValue();
            if (family.getKey() == linux_h.AUDIT_ARCH_X86_64()) {
                splitX86_64AndX32(arches.contains(Arch.X32));
            } else {
                arch(arches.getFirst());
            }
        }
    }

    /**
     * x86_64 and x32 calls both arrive as AUDIT_ARCH_X86_64; x32 numbers have bit 30 set. When
     * the profile does not cover x32, its calls must not be taken for x86_64 calls (x32's
     * 0x40000000 + n is not x86_64's n), so they get the bad-ABI verdict, except -1.
     */
    private void splitX86_64AndX32(boolean withX32) {
        Label x86_64 = asm.label();
        Label x32Range = asm.label();
        asm.jump(JUMP_GREATER_OR_EQUAL, Arch.X32_SYSCALL_BIT, x32Range, x86_64);
        asm.bind(x32Range);
        if (withX32) {
            arch(Arch.X32);
        } else {
            jumpIf(JUMP_EQUAL, SKIPPED_CALL, x86_64);
            asm.ret(BAD_ARCH);
        }
        asm.bind(x86_64);
        arch(Arch.X86_64);
    }

    /** The code for one ABI, entered with the call's number in A. */
    private void arch(Arch arch) {
        Map<Integer, SyscallRules> calls = plan.rules().get(arch);
        Map<SeccompAction, Label> returns = new LinkedHashMap<>();
        Map<Label, SyscallRules> bodies = new LinkedHashMap<>();
        int tests = 0;
        for (var call : calls.entrySet()) {
            SeccompAction plain = call.getValue().unconditionalAction();
            Label target = plain != null ? returns.computeIfAbsent(plain, a -> asm.label()) : asm.label();
            if (plain == null) {
                bodies.put(target, call.getValue());
            }
            jumpIf(JUMP_EQUAL, call.getKey(), target);
            if (++tests % DISPATCH_CHUNK == 0) {
                Label more = asm.label();
                asm.jumpAlways(more);
                returns(returns);
                asm.bind(more);
            }
        }
        noRule(arch);
        returns(returns);
        for (var body : bodies.entrySet()) {
            asm.bind(body.getKey());
            for (Rule rule : body.getValue().rules()) {
                Label nextRule = asm.label();
                for (ArgCondition condition : rule.conditions()) {
                    condition(condition, arch.thirtyTwoBitArgs(), nextRule);
                }
                asm.ret(rule.action().value());
                asm.bind(nextRule);
            }
            asm.ret(plan.defaultAction().value());
        }
    }

    private void returns(Map<SeccompAction, Label> returns) {
        for (var entry : returns.entrySet()) {
            asm.bind(entry.getValue());
            asm.ret(entry.getKey().value());
        }
        returns.clear();
    }

    /** A call no rule names: the default action, or ENOSYS for a call newer than the profile. */
    private void noRule(Arch arch) {
        int highest = plan.highestNamed().get(arch);
        if (plan.newerCallsGetEnosys() && highest >= 0) {
            Label newer = asm.label();
            Label skipped = asm.label();
            jumpIf(JUMP_GREATER, highest, newer);
            asm.ret(plan.defaultAction().value());
            asm.bind(newer);
            jumpIf(JUMP_EQUAL, SKIPPED_CALL, skipped);
            asm.ret(SeccompAction.errno(linux_h.ENOSYS()).value());
            asm.bind(skipped);
        }
        asm.ret(plan.defaultAction().value());
    }

    /**
     * Tests one condition and goes on to the next instruction when it holds, to {@code fails}
     * when not. seccomp_data.args are 64-bit, but classic BPF loads 32-bit words, so on a 64-bit
     * ABI the high word (at offset +4, the data is little-endian) decides first and the low word
     * only when the high words are equal.
     */
    private void condition(ArgCondition condition, boolean thirtyTwoBit, Label fails) {
        int low = ARGS + Long.BYTES * condition.index();
        Label holds = asm.label();
        if (!thirtyTwoBit) {
            asm.load(low + Integer.BYTES);
            highWord(condition, holds, fails);
        }
        asm.load(low);
        lowWord(condition, holds, fails);
        asm.bind(holds);
    }

    /** Decides on the high words where they settle it; falls through when the low words must decide. */
    private void highWord(ArgCondition condition, Label holds, Label fails) {
        int value = (int) (condition.value() >>> 32);
        switch (condition.op()) {
            case EQ -> jumpUnless(JUMP_EQUAL, value, fails);
            case MASKED_EQ -> {
                asm.and(value);
                jumpUnless(JUMP_EQUAL, (int) (condition.valueTwo() >>> 32), fails);
            }
            case NE -> jumpUnless(JUMP_EQUAL, value, holds);
            case GT, GE -> {
                jumpIf(JUMP_GREATER, value, holds);
                jumpUnless(JUMP_EQUAL, value, fails);
            }
            case LT, LE -> {
                jumpIf(JUMP_GREATER, value, fails);
                jumpUnless(JUMP_EQUAL, value, holds);
            }
        }
    }

    private void lowWord(ArgCondition condition, Label holds, Label fails) {
        int value = (int) condition.value();
        switch (condition.op()) {
            case EQ -> asm.jump(JUMP_EQUAL, value, holds, fails);
            case MASKED_EQ -> {
                asm.and(value);
                asm.jump(JUMP_EQUAL, (int) condition.valueTwo(), holds, fails);
            }
            case NE -> asm.jump(JUMP_EQUAL, value, fails, holds);
            case GT -> asm.jump(JUMP_GREATER, value, holds, fails);
            case GE -> asm.jump(JUMP_GREATER_OR_EQUAL, value, holds, fails);
            case LT -> asm.jump(JUMP_GREATER_OR_EQUAL, value, fails, holds);
            case LE -> asm.jump(JUMP_GREATER, value, fails, holds);
        }
    }

    /** Jumps to {@code target} when the test holds, else goes on. */
    private void jumpIf(int code, int k, Label target) {
        Label next = asm.label();
        asm.jump(code, k, target, next);
        asm.bind(next);
    }

    /** Goes on when the test holds, else jumps to {@code target}. */
    private void jumpUnless(int code, int k, Label target) {
        Label next = asm.label();
        asm.jump(code, k, next, target);
        asm.bind(next);
    }
}
