package dev.canal.runtime.seccomp;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every verdict a seccomp filter can return for one system call when some of its arguments are
 * unknown: the filter run over all of their values at once.
 *
 * <p>A classic BPF program only jumps forward (it has no loops), so it can be run symbolically:
 * the accumulator, the index register and the scratch words each hold either a known 32-bit
 * value or "unknown"; a load of an unknown argument word gives unknown, arithmetic on unknown
 * stays unknown, and a conditional jump on unknown takes both ways. The verdicts of every path
 * that can be taken are the answer. (The instruction pointer, which filters may read too, is
 * always unknown.) Seccomp programs test the number, then a few argument words, so there are few
 * paths; a budget of steps keeps a pathological program from taking long, and then there is no
 * answer, which callers read as "cannot tell".
 *
 * <p>The instruction set is what seccomp accepts (kernel/seccomp.c, seccomp_check_filter): loads
 * of aligned words of {@code struct seccomp_data}, immediates and scratch words, stores, ALU
 * operations, jumps and returns.
 */
public final class PossibleVerdicts {

    /** Instructions one question may execute, over all its paths. */
    private static final int STEP_BUDGET = 200_000;

    private static final int LD = 0x00;
    private static final int LDX = 0x01;
    private static final int ST = 0x02;
    private static final int STX = 0x03;
    private static final int ALU = 0x04;
    private static final int JMP = 0x05;
    private static final int RET = 0x06;
    private static final int MISC = 0x07;

    private final List<ClassicBpfInstruction> program;
    private final int number;
    private final int arch;
    private final Long[] args;
    private final Set<Integer> verdicts = new HashSet<>();
    private int steps;

    private PossibleVerdicts(List<ClassicBpfInstruction> program, int number, int arch, Long[] args) {
        this.program = program;
        this.number = number;
        this.arch = arch;
        this.args = args;
    }

    /**
     * The verdicts ({@code SECCOMP_RET_*} values with their data) {@code program} can return for
     * system call {@code number} of audit architecture {@code arch} with arguments {@code args}
     * (up to six; null or missing for any value); empty when the budget ran out or a path ends in
     * a verdict that depends on an unknown value.
     */
    public static Optional<Set<Integer>> of(List<ClassicBpfInstruction> program, int number, int arch, Long... args) {
        var run = new PossibleVerdicts(program, number, arch, args);
        boolean complete = run.explore(0, null, null, new Integer[16]);
        return complete ? Optional.of(Set.copyOf(run.verdicts)) : Optional.empty();
    }

    /** Runs from {@code pc} with these register values (null: unknown); false if it cannot tell. */
    private boolean explore(int pc, Integer a, Integer x, Integer[] scratch) {
        while (true) {
            if (++steps > STEP_BUDGET || pc >= program.size()) {
                return false;
            }
            ClassicBpfInstruction instruction = program.get(pc++);
            int code = instruction.code() & 0xffff;
            int k = instruction.k();
            switch (code & 0x07) {
                case LD -> a = load(code, k, scratch);
                case LDX -> x = (code & 0xe0) == 0x60 ? scratch[k] : Integer.valueOf(k);
                case ST -> scratch[k] = a;
                case STX -> scratch[k] = x;
                case ALU -> a = alu(code, a, (code & 0x08) != 0 ? x : Integer.valueOf(k));
                case JMP -> {
                    if ((code & 0xf0) == 0x00) {
                        pc += k;
                        continue;
                    }
                    Integer operand = (code & 0x08) != 0 ? x : Integer.valueOf(k);
                    if (a != null && operand != null) {
                        pc += taken(code, a, operand) ? instruction.jt() : instruction.jf();
                        continue;
                    }
                    if (!explore(pc + instruction.jt(), a, x, scratch.clone())) {
                        return false;
                    }
                    pc += instruction.jf();
                }
                case RET -> {
                    Integer verdict = (code & 0x18) == 0x10 ? a : Integer.valueOf(k);
                    if (verdict == null) {
                        return false;
                    }
                    verdicts.add(verdict);
                    return true;
                }
                case MISC -> {
                    if ((code & 0xf8) == 0x00) {
                        x = a;
                    } else {
                        a = x;
                    }
                }
                default -> throw new IllegalArgumentException("not a seccomp instruction: 0x%02x".formatted(code));
            }
        }
    }

    /** A word of {@code struct seccomp_data} (nr, arch, instruction_pointer, args[6]), an immediate or a scratch word. */
    private Integer load(int code, int k, Integer[] scratch) {
        return switch (code & 0xe0) {
            case 0x00 -> k; // BPF_IMM
            case 0x60 -> scratch[k]; // BPF_MEM
            case 0x20 ->
                switch (k) { // BPF_ABS
                    case 0 -> number;
                    case 4 -> arch;
                    case 8, 12 -> null; // the instruction pointer
                    default -> argumentWord(k);
                };
            default -> throw new IllegalArgumentException("not a seccomp load: 0x%02x".formatted(code));
        };
    }

    /** The low (offset 16 + 8i) or high (+4) half of argument i, as x86-64 lays it out. */
    private Integer argumentWord(int offset) {
        int index = (offset - 16) / 8;
        Long value = index < args.length ? args[index] : null;
        if (value == null) {
            return null;
        }
        return (offset - 16) % 8 == 0 ? (int) (long) value : (int) (value >>> 32);
    }

    private static Integer alu(int code, Integer a, Integer operand) {
        if ((code & 0xf0) == 0x80) {
            return a == null ? null : -a; // BPF_NEG
        }
        if (a == null || operand == null) {
            return null;
        }
        return switch (code & 0xf0) {
            case 0x00 -> a + operand;
            case 0x10 -> a - operand;
            case 0x20 -> a * operand;
            case 0x30 -> operand == 0 ? null : Integer.divideUnsigned(a, operand);
            case 0x40 -> a | operand;
            case 0x50 -> a & operand;
            case 0x60 -> a << operand;
            case 0x70 -> a >>> operand;
            case 0x90 -> operand == 0 ? null : Integer.remainderUnsigned(a, operand);
            case 0xa0 -> a ^ operand;
            default -> throw new IllegalArgumentException("not a seccomp ALU operation: 0x%02x".formatted(code));
        };
    }

    private static boolean taken(int code, int a, int operand) {
        return switch (code & 0xf0) {
            case 0x10 -> a == operand; // JEQ
            case 0x20 -> Integer.compareUnsigned(a, operand) > 0; // JGT
            case 0x30 -> Integer.compareUnsigned(a, operand) >= 0; // JGE
            case 0x40 -> (a & operand) != 0; // JSET
            default -> throw new IllegalArgumentException("not a seccomp jump: 0x%02x".formatted(code));
        };
    }
}
