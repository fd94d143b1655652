package dev.canal.runtime.seccomp;

import dev.canal.bindings.linux.linux_h;

/**
 * One classic BPF instruction, {@code struct sock_filter} (linux/filter.h): an opcode, two jump
 * offsets for conditional jumps (how many instructions to skip when the test is true or false,
 * 0 to 255) and a 32-bit constant.
 */
public record ClassicBpfInstruction(short code, int jt, int jf, int k) {

    // The opcode is class | size/operation | mode/source (linux/bpf_common.h).
    static final int LOAD_WORD_ABSOLUTE = linux_h.BPF_LD() | linux_h.BPF_W() | linux_h.BPF_ABS();
    static final int AND_CONSTANT = linux_h.BPF_ALU() | linux_h.BPF_AND() | linux_h.BPF_K();
    static final int JUMP_ALWAYS = linux_h.BPF_JMP() | linux_h.BPF_JA();
    static final int JUMP_EQUAL = linux_h.BPF_JMP() | linux_h.BPF_JEQ() | linux_h.BPF_K();
    static final int JUMP_GREATER = linux_h.BPF_JMP() | linux_h.BPF_JGT() | linux_h.BPF_K();
    static final int JUMP_GREATER_OR_EQUAL = linux_h.BPF_JMP() | linux_h.BPF_JGE() | linux_h.BPF_K();
    static final int JUMP_ANY_BIT = linux_h.BPF_JMP() | linux_h.BPF_JSET() | linux_h.BPF_K();
    static final int RETURN_CONSTANT = linux_h.BPF_RET() | linux_h.BPF_K();

    /** The furthest a conditional jump reaches: its offsets are one byte each. */
    static final int MAX_CONDITIONAL_OFFSET = 255;

    public ClassicBpfInstruction {
        if (jt < 0 || jt > MAX_CONDITIONAL_OFFSET || jf < 0 || jf > MAX_CONDITIONAL_OFFSET) {
            throw new IllegalArgumentException("jump offsets must be 0 to 255, got " + jt + " and " + jf);
        }
    }

    ClassicBpfInstruction(int code, int jt, int jf, int k) {
        this((short) code, jt, jf, k);
    }
}
