package dev.canal.runtime.seccomp;

import java.util.List;

/**
 * Prints a seccomp BPF program the way libseccomp's {@code scmp_bpf_disasm} does: each
 * instruction's number, its raw fields ({@code code jt jf k}) and what it means, with the loaded
 * {@code seccomp_data} fields named and jump targets as absolute instruction numbers.
 * <pre>
 *  line  OP   JT   JF   K
 * =================================
 *  0000: 0x20 0x00 0x00 0x00000004   ld  arch
 *  0001: 0x15 0x00 0x01 0xc000003e   jeq 0xc000003e  true:0002 false:0003
 * </pre>
 */
final class Disassembler {

    private Disassembler() {}

    static String listing(List<ClassicBpfInstruction> program) {
        var out = new StringBuilder(" line  OP   JT   JF   K\n=================================\n");
        for (int line = 0; line < program.size(); line++) {
            ClassicBpfInstruction instruction = program.get(line);
            out.append(" %04d: 0x%02x 0x%02x 0x%02x 0x%08x   %s%n"
                    .formatted(
                            line,
                            instruction.code(),
                            instruction.jt(),
                            instruction.jf(),
                            instruction.k(),
                            meaning(instruction, line)));
        }
        return out.toString();
    }

    private static String meaning(ClassicBpfInstruction instruction, int line) {
        int code = instruction.code();
        int k = instruction.k();
        int next = line + 1;
        if (code == ClassicBpfInstruction.LOAD_WORD_ABSOLUTE) {
            return "ld  " + field(k);
        }
        if (code == ClassicBpfInstruction.AND_CONSTANT) {
            return "and " + number(k);
        }
        if (code == ClassicBpfInstruction.JUMP_ALWAYS) {
            return "jmp %04d".formatted(next + k);
        }
        if (code == ClassicBpfInstruction.RETURN_CONSTANT) {
            return "ret " + new SeccompAction(k);
        }
        String test = code == ClassicBpfInstruction.JUMP_EQUAL
                ? "jeq"
                : code == ClassicBpfInstruction.JUMP_GREATER
                        ? "jgt"
                        : code == ClassicBpfInstruction.JUMP_GREATER_OR_EQUAL
                                ? "jge"
                                : code == ClassicBpfInstruction.JUMP_ANY_BIT ? "jset" : null;
        if (test == null) {
            return "??? (not an instruction Canal emits)";
        }
        return "%s %-11s true:%04d false:%04d"
                .formatted(test, number(k), next + instruction.jt(), next + instruction.jf());
    }

    /** The seccomp_data field at byte offset {@code offset} (linux/seccomp.h). */
    private static String field(int offset) {
        return switch (offset) {
            case 0 -> "nr";
            case 4 -> "arch";
            case 8 -> "instruction_pointer.lo";
            case 12 -> "instruction_pointer.hi";
            default ->
                offset >= 16 && offset < 64 && offset % 4 == 0
                        ? "args[%d].%s".formatted((offset - 16) / 8, offset % 8 == 0 ? "lo" : "hi")
                        : "data[" + offset + "]";
        };
    }

    /** Small numbers (system call numbers, errno values) in decimal, masks and ABI ids in hex. */
    private static String number(int k) {
        return Integer.compareUnsigned(k, 0x10000) < 0 ? Integer.toString(k) : "0x%08x".formatted(k);
    }
}
