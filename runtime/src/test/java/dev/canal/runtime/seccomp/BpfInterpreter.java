package dev.canal.runtime.seccomp;

import java.util.List;

/**
 * Runs a classic BPF program over a {@code struct seccomp_data} the way the kernel's
 * seccomp filter does (kernel/bpf/core.c, net/core/filter.c): 32-bit accumulator A, index X,
 * 16 scratch words, loads of aligned words from the data, forward jumps only. It knows the
 * instructions seccomp programs use (libseccomp's and Canal's) and fails on anything else, so an
 * unexpected instruction is noticed rather than misread.
 */
final class BpfInterpreter {

    /** A system call as a filter sees it (linux/seccomp.h). */
    record SeccompData(int nr, int arch, long instructionPointer, long[] args) {

        int word(int offset) {
            if (offset < 0 || offset % 4 != 0 || offset >= 64) {
                throw new IllegalStateException("load outside seccomp_data: " + offset);
            }
            long field = switch (offset / 8) {
                case 0 -> offset == 0 ? nr : arch;
                case 1 -> instructionPointer;
                default -> args[offset / 8 - 2];
            };
            return offset < 8 ? (int) field : (int) (offset % 8 == 0 ? field : field >>> 32);
        }
    }

    // Opcode parts from linux/bpf_common.h.
    private static final int LD = 0x00;
    private static final int LDX = 0x01;
    private static final int ST = 0x02;
    private static final int STX = 0x03;
    private static final int ALU = 0x04;
    private static final int JMP = 0x05;
    private static final int RET = 0x06;
    private static final int MISC = 0x07;
    private static final int W = 0x00;
    private static final int IMM = 0x00;
    private static final int ABS = 0x20;
    private static final int MEM = 0x60;
    private static final int K = 0x00;
    private static final int X = 0x08;
    private static final int A = 0x10;

    private BpfInterpreter() {}

    static int run(List<BpfInstruction> program, SeccompData data) {
        int a = 0;
        int x = 0;
        int[] scratch = new int[16];
        int pc = 0;
        while (true) {
            if (pc >= program.size()) {
                throw new IllegalStateException("ran off the end of the program");
            }
            BpfInstruction insn = program.get(pc++);
            int code = insn.code() & 0xffff;
            int k = insn.k();
            switch (code & 0x07) {
                case LD ->
                    a = switch (code) {
                        case LD | W | ABS -> data.word(k);
                        case LD | IMM -> k;
                        case LD | MEM -> scratch[k];
                        default -> throw unknown(code);
                    };
                case LDX ->
                    x = switch (code) {
                        case LDX | W | IMM -> k;
                        case LDX | MEM -> scratch[k];
                        default -> throw unknown(code);
                    };
                case ST -> scratch[k] = a;
                case STX -> scratch[k] = x;
                case ALU -> a = alu(code & 0xf0, a, (code & X) != 0 ? x : k, code);
                case JMP -> {
                    int operand = (code & X) != 0 ? x : k;
                    pc += switch (code & 0xf0) {
                        case 0x00 -> k;
                        case 0x10 -> a == operand ? insn.jt() : insn.jf();
                        case 0x20 -> Integer.compareUnsigned(a, operand) > 0 ? insn.jt() : insn.jf();
                        case 0x30 -> Integer.compareUnsigned(a, operand) >= 0 ? insn.jt() : insn.jf();
                        case 0x40 -> (a & operand) != 0 ? insn.jt() : insn.jf();
                        default -> throw unknown(code);
                    };
                }
                case RET -> {
                    return switch (code & 0x18) {
                        case K -> k;
                        case A -> a;
                        default -> throw unknown(code);
                    };
                }
                case MISC -> {
                    if ((code & 0xf8) == 0x00) {
                        x = a;
                    } else {
                        a = x;
                    }
                }
                default -> throw unknown(code);
            }
        }
    }

    private static int alu(int op, int a, int operand, int code) {
        return switch (op) {
            case 0x00 -> a + operand;
            case 0x10 -> a - operand;
            case 0x20 -> a * operand;
            case 0x40 -> a | operand;
            case 0x50 -> a & operand;
            case 0x60 -> a << operand;
            case 0x70 -> a >>> operand;
            case 0x80 -> -a;
            default -> throw unknown(code);
        };
    }

    private static IllegalStateException unknown(int code) {
        return new IllegalStateException("instruction 0x%02x not supported by this interpreter".formatted(code));
    }
}
