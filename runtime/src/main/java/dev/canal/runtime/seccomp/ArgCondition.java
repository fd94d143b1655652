package dev.canal.runtime.seccomp;

/**
 * A condition on argument {@code index} (0 to 5) of a system call.
 *
 * @param value the value compared with, or the mask for MASKED_EQ
 * @param valueTwo the value the masked argument must equal for MASKED_EQ; unused otherwise
 */
record ArgCondition(int index, CompareOp op, long value, long valueTwo) {

    /** The condition as seen by an ABI whose arguments are 32 bits: only the low words count. */
    ArgCondition lowWord() {
        return new ArgCondition(index, op, value & 0xffff_ffffL, valueTwo & 0xffff_ffffL);
    }
}
