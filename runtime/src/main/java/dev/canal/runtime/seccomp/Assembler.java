package dev.canal.runtime.seccomp;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a classic BPF program whose jumps name labels, and works out the offsets at the end.
 *
 * <p>Classic BPF only jumps forward. A conditional jump stores its two targets as one-byte
 * offsets, so it reaches at most 255 instructions ahead; {@code BPF_JA} (jump always) stores a
 * 32-bit offset. A conditional jump whose target is too far becomes a jump to a {@code BPF_JA}
 * placed right after it, the way libseccomp and the kernel's own BPF helpers extend their reach:
 * <pre>
 *   jeq #41, far, next        becomes        jeq #41, 0, 1
 *                                           ja  far
 *                                     next: ...
 * </pre>
 * Inserting such a trampoline moves later code, which can push other jumps out of reach, so the
 * layout is repeated until nothing changes (each pass only adds instructions, so it ends).
 */
final class Assembler {

    /** A place in the program; bound to the instruction emitted next. */
    static final class Label {
        private int node = -1;
    }

    private static final class Node {
        final int code;
        final int k;
        final Label ifTrue;
        final Label ifFalse;
        final Label always;
        boolean trueIsFar;
        boolean falseIsFar;

        Node(int code, int k, Label ifTrue, Label ifFalse, Label always) {
            this.code = code;
            this.k = k;
            this.ifTrue = ifTrue;
            this.ifFalse = ifFalse;
            this.always = always;
        }

        boolean conditional() {
            return ifTrue != null;
        }

        int size() {
            return 1 + (trueIsFar ? 1 : 0) + (falseIsFar ? 1 : 0);
        }
    }

    private final List<Node> nodes = new ArrayList<>();

    Label label() {
        return new Label();
    }

    /** Binds {@code label} here: the next instruction emitted is its target. */
    void bind(Label label) {
        if (label.node >= 0) {
            throw new IllegalStateException("label bound twice");
        }
        label.node = nodes.size();
    }

    /** A label bound here. */
    Label here() {
        Label label = label();
        bind(label);
        return label;
    }

    /** {@code A = seccomp_data[offset]}, one 32-bit word. */
    void load(int offset) {
        nodes.add(new Node(ClassicBpfInstruction.LOAD_WORD_ABSOLUTE, offset, null, null, null));
    }

    /** {@code A &= k}. */
    void and(int k) {
        nodes.add(new Node(ClassicBpfInstruction.AND_CONSTANT, k, null, null, null));
    }

    /** Compares A with {@code k} ({@code jumpCode} is JEQ, JGT, JGE or JSET) and goes to one of two labels. */
    void jump(int jumpCode, int k, Label ifTrue, Label ifFalse) {
        nodes.add(new Node(jumpCode, k, ifTrue, ifFalse, null));
    }

    void jumpAlways(Label target) {
        nodes.add(new Node(ClassicBpfInstruction.JUMP_ALWAYS, 0, null, null, target));
    }

    /** Ends the program with {@code value} as the filter's verdict. */
    void ret(int value) {
        nodes.add(new Node(ClassicBpfInstruction.RETURN_CONSTANT, value, null, null, null));
    }

    /** Lays the program out and resolves every jump. */
    List<ClassicBpfInstruction> assemble() {
        int[] positions;
        boolean widened;
        do {
            positions = positions();
            widened = false;
            for (int i = 0; i < nodes.size(); i++) {
                Node node = nodes.get(i);
                if (!node.conditional()) {
                    continue;
                }
                // Offsets count from the instruction after the jump, trampolines included.
                int next = positions[i] + 1;
                if (!node.trueIsFar
                        && target(node.ifTrue, positions) - next > ClassicBpfInstruction.MAX_CONDITIONAL_OFFSET) {
                    node.trueIsFar = true;
                    widened = true;
                }
                if (!node.falseIsFar
                        && target(node.ifFalse, positions) - next > ClassicBpfInstruction.MAX_CONDITIONAL_OFFSET) {
                    node.falseIsFar = true;
                    widened = true;
                }
            }
        } while (widened);
        return encode(positions);
    }

    private List<ClassicBpfInstruction> encode(int[] positions) {
        var program = new ArrayList<ClassicBpfInstruction>();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            int next = positions[i] + 1;
            if (node.always != null) {
                program.add(new ClassicBpfInstruction(node.code, 0, 0, offset(node.always, positions, next)));
            } else if (node.conditional()) {
                int trampolines = 0;
                int jt = node.trueIsFar ? trampolines++ : offset(node.ifTrue, positions, next);
                int jf = node.falseIsFar ? trampolines++ : offset(node.ifFalse, positions, next);
                program.add(new ClassicBpfInstruction(node.code, jt, jf, node.k));
                int trampoline = positions[i] + 1;
                if (node.trueIsFar) {
                    program.add(new ClassicBpfInstruction(
                            ClassicBpfInstruction.JUMP_ALWAYS, 0, 0, offset(node.ifTrue, positions, ++trampoline)));
                }
                if (node.falseIsFar) {
                    program.add(new ClassicBpfInstruction(
                            ClassicBpfInstruction.JUMP_ALWAYS, 0, 0, offset(node.ifFalse, positions, ++trampoline)));
                }
            } else {
                program.add(new ClassicBpfInstruction(node.code, 0, 0, node.k));
            }
        }
        return List.copyOf(program);
    }

    private int[] positions() {
        int[] positions = new int[nodes.size() + 1];
        for (int i = 0; i < nodes.size(); i++) {
            positions[i + 1] = positions[i] + nodes.get(i).size();
        }
        return positions;
    }

    private int target(Label label, int[] positions) {
        if (label.node < 0 || label.node >= nodes.size()) {
            throw new IllegalStateException("jump to a label with no instruction");
        }
        return positions[label.node];
    }

    /** The offset from the instruction at {@code next} to {@code label}; BPF cannot jump backwards. */
    private int offset(Label label, int[] positions, int next) {
        int offset = target(label, positions) - next;
        if (offset < 0) {
            throw new IllegalStateException("backward jump in a BPF program");
        }
        return offset;
    }
}
