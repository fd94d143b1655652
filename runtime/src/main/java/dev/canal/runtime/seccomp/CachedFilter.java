package dev.canal.runtime.seccomp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The text of one entry of {@link SeccompCache}: a header, the compiler's identity, the section's
 * canonical text ({@link CanonicalSeccomp}), then the program: its flags, its length and one
 * instruction a line ({@code code jt jf k}, decimal). Read back only when the identity and the
 * section match those asked for line for line and every number parses and fits, so a file
 * cut short, edited, or written for another section or build is a miss.
 */
final class CachedFilter {

    private static final String HEADER = "canal seccomp filter 1";
    private static final int BPF_MAXINSNS = 4096;

    private CachedFilter() {}

    static String write(String identity, String section, SeccompProgram program) {
        var text =
                new StringBuilder(section.length() + 24 * program.instructions().size() + 256);
        text.append(HEADER).append('\n');
        CanonicalSeccomp.string(text, identity);
        text.append('\n').append(section).append('\n');
        text.append(program.flags())
                .append('\n')
                .append(program.instructions().size())
                .append('\n');
        for (ClassicBpfInstruction instruction : program.instructions()) {
            text.append(instruction.code() & 0xffff)
                    .append(' ')
                    .append(instruction.jt())
                    .append(' ')
                    .append(instruction.jf())
                    .append(' ')
                    .append(instruction.k())
                    .append('\n');
        }
        return text.toString();
    }

    /** The program {@code text} holds for {@code identity} and {@code section}; empty if any line is off. */
    static Optional<SeccompProgram> read(String text, String identity, String section) {
        String[] lines = text.split("\n", -1);
        var quotedIdentity = new StringBuilder();
        CanonicalSeccomp.string(quotedIdentity, identity);
        if (lines.length < 6
                || !lines[0].equals(HEADER)
                || !lines[1].contentEquals(quotedIdentity)
                || !lines[2].equals(section)) {
            return Optional.empty();
        }
        try {
            int flags = Integer.parseInt(lines[3]);
            int length = Integer.parseInt(lines[4]);
            // The instructions, then nothing after the last line break.
            if (length < 1 || length > BPF_MAXINSNS || lines.length != 5 + length + 1 || !lines[5 + length].isEmpty()) {
                return Optional.empty();
            }
            List<ClassicBpfInstruction> instructions = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                String[] fields = lines[5 + i].split(" ", -1);
                if (fields.length != 4) {
                    return Optional.empty();
                }
                int code = Integer.parseInt(fields[0]);
                if (code < 0 || code > 0xffff) {
                    return Optional.empty();
                }
                instructions.add(new ClassicBpfInstruction(
                        (short) code,
                        Integer.parseInt(fields[1]),
                        Integer.parseInt(fields[2]),
                        Integer.parseInt(fields[3])));
            }
            return Optional.of(new SeccompProgram(instructions, flags));
        } catch (IllegalArgumentException e) {
            // NumberFormatException, or a jump offset out of 0 to 255.
            return Optional.empty();
        }
    }
}
