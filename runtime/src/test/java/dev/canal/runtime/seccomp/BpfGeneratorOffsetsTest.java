package dev.canal.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.canal.bindings.linux.seccomp_data;
import org.junit.jupiter.api.Test;

/**
 * BpfGenerator writes struct seccomp_data's offsets out instead of initialising jextract's struct
 * class (whose VarHandle for its args array is method handle classes spun in every JVM): they
 * must be what jextract read from the C headers.
 */
class BpfGeneratorOffsetsTest {

    @Test
    void seccompDataOffsetsAreJextracts() {
        assertEquals(seccomp_data.nr$offset(), BpfGenerator.NR);
        assertEquals(seccomp_data.arch$offset(), BpfGenerator.ARCH);
        assertEquals(seccomp_data.args$offset(), BpfGenerator.ARGS);
    }
}
