package dev.canal.runtime.seccomp;

/**
 * A condition on argument {@code index} (0 to 5) of a system call.
 *
 * @param value the value compared with, or the mask for MASKED_EQ
 * @param valueTwo the value the masked argument must equal for MASKED_EQ; unused otherwise
 */
record ArgCondition(int index, CompareOp op, long value, long valueTwo) {

    /**
     * Field by field, as a record's own equals compares: written out because the generated one is
     * linked through invokedynamic ({@code java.lang.runtime.ObjectMethods}), whose method handle
     * forms are spun in every new JVM, no AOT cache holding them (docs/start-time.md, step 12).
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof ArgCondition that
                && index == that.index
                && op == that.op
                && value == that.value
                && valueTwo == that.valueTwo;
    }

    @Override
    public int hashCode() {
        return ((index * 31 + op.hashCode()) * 31 + Long.hashCode(value)) * 31 + Long.hashCode(valueTwo);
    }

    /** The condition as seen by an ABI whose arguments are 32 bits: only the low words count. */
    ArgCondition lowWord() {
        return new ArgCondition(index, op, value & 0xffff_ffffL, valueTwo & 0xffff_ffffL);
    }
}
