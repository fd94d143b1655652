package dev.canal.runtime.cgroup.v2.devices;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One eBPF instruction, {@code struct bpf_insn} of linux/bpf.h: 8 bytes holding an opcode, the
 * destination and source registers (4 bits each), a signed 16-bit offset (jump distance in
 * instructions, or memory offset) and a signed 32-bit immediate
 * (Documentation/bpf/standardization/instruction-set.rst).
 *
 * <p>Only the handful of opcodes a device filter needs are named here. The opcode is
 * class | operation | source: for example {@code BPF_ALU | BPF_AND | BPF_K} = 0x54 is a 32-bit
 * "dst &= imm".
 */
record EbpfInstruction(int code, int dst, int src, int off, int imm) {

    /** Size of struct bpf_insn. */
    static final int SIZE = 8;

    // Opcodes, from linux/bpf_common.h and linux/bpf.h.
    static final int LDX_MEM_W = 0x61; // BPF_LDX | BPF_MEM | BPF_W: dst = *(u32 *)(src + off)
    static final int ALU_AND_K = 0x54; // BPF_ALU | BPF_AND | BPF_K: dst &= imm (32-bit)
    static final int ALU_RSH_K = 0x74; // BPF_ALU | BPF_RSH | BPF_K: dst >>= imm (32-bit)
    static final int ALU_MOV_K = 0xb4; // BPF_ALU | BPF_MOV | BPF_K: dst = imm (32-bit)
    static final int ALU_MOV_X = 0xbc; // BPF_ALU | BPF_MOV | BPF_X: dst = src (32-bit)
    static final int JMP_JNE_K = 0x55; // BPF_JMP | BPF_JNE | BPF_K: if dst != imm goto +off
    static final int JMP_JNE_X = 0x5d; // BPF_JMP | BPF_JNE | BPF_X: if dst != src goto +off
    static final int JMP_EXIT = 0x95; // BPF_JMP | BPF_EXIT: return r0

    static EbpfInstruction loadWord(int dst, int src, int off) {
        return new EbpfInstruction(LDX_MEM_W, dst, src, off, 0);
    }

    static EbpfInstruction and(int dst, int imm) {
        return new EbpfInstruction(ALU_AND_K, dst, 0, 0, imm);
    }

    static EbpfInstruction shiftRight(int dst, int imm) {
        return new EbpfInstruction(ALU_RSH_K, dst, 0, 0, imm);
    }

    static EbpfInstruction move(int dst, int imm) {
        return new EbpfInstruction(ALU_MOV_K, dst, 0, 0, imm);
    }

    static EbpfInstruction moveRegister(int dst, int src) {
        return new EbpfInstruction(ALU_MOV_X, dst, src, 0, 0);
    }

    static EbpfInstruction jumpIfNotEqual(int dst, int imm, int off) {
        return new EbpfInstruction(JMP_JNE_K, dst, 0, off, imm);
    }

    static EbpfInstruction jumpIfNotEqualRegister(int dst, int src, int off) {
        return new EbpfInstruction(JMP_JNE_X, dst, src, off, 0);
    }

    static EbpfInstruction exit() {
        return new EbpfInstruction(JMP_EXIT, 0, 0, 0, 0);
    }

    EbpfInstruction withOffset(int offset) {
        return new EbpfInstruction(code, dst, src, offset, imm);
    }

    /** The 8 bytes in the machine's (little-endian) order; the register byte is dst in the low nibble. */
    void encode(ByteBuffer out) {
        out.order(ByteOrder.nativeOrder());
        out.put((byte) code).put((byte) (dst | src << 4)).putShort((short) off).putInt(imm);
    }

    /** The instruction as bpftool-style assembly, for documentation and tests. */
    @Override
    public String toString() {
        return switch (code) {
            case LDX_MEM_W -> "r" + dst + " = *(u32 *)(r" + src + " + " + off + ")";
            case ALU_AND_K -> "w" + dst + " &= " + hex(imm);
            case ALU_RSH_K -> "w" + dst + " >>= " + imm;
            case ALU_MOV_K -> "w" + dst + " = " + imm;
            case ALU_MOV_X -> "w" + dst + " = w" + src;
            case JMP_JNE_K -> "if r" + dst + " != " + imm + " goto +" + off;
            case JMP_JNE_X -> "if r" + dst + " != r" + src + " goto +" + off;
            case JMP_EXIT -> "exit";
            default -> String.format("code 0x%02x dst %d src %d off %d imm %d", code, dst, src, off, imm);
        };
    }

    private static String hex(int value) {
        return "0x" + Integer.toHexString(value);
    }
}
