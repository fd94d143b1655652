package dev.canal.runtime.seccomp;

import java.util.Arrays;
import java.util.Optional;

/**
 * libseccomp's argument comparisons (seccomp_rule_add(3), enum scmp_compare). All compare the
 * argument as an unsigned 64-bit number; MASKED_EQ compares {@code arg & value} with
 * {@code valueTwo}.
 */
enum CompareOp {
    NE,
    LT,
    LE,
    EQ,
    GE,
    GT,
    MASKED_EQ;

    /** The name in config.json, "SCMP_CMP_EQ". */
    String ociName() {
        return "SCMP_CMP_" + name();
    }

    static Optional<CompareOp> byOciName(String name) {
        return Arrays.stream(values()).filter(op -> op.ociName().equals(name)).findFirst();
    }
}
