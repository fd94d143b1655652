package dev.canal.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.canal.runtime.oci.Seccomp;
import org.junit.jupiter.api.Test;

/**
 * The compiler reuses the filter of the section it compiled last (a daemon compiles docker's
 * default profile for nearly every container), and only for a section equal to it.
 */
class SeccompCompilerReuseTest {

    private static Seccomp allowing(String call) {
        return Profiles.parse("""
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
                  {"names": ["read", "write", "exit_group", "%s"], "action": "SCMP_ACT_ALLOW"}]}
                """.formatted(call));
    }

    @Test
    void anEqualSectionReadAgainGetsTheSameFilter() {
        SeccompProgram first = SeccompCompiler.compile(allowing("getpid"));
        assertSame(first, SeccompCompiler.compile(allowing("getpid")), "an equal section, parsed anew");
    }

    @Test
    void aDifferentSectionGetsItsOwnFilterAndTheFirstOneStillItsOwn() {
        SeccompProgram getpid = SeccompCompiler.compile(allowing("getpid"));
        SeccompProgram getppid = SeccompCompiler.compile(allowing("getppid"));

        assertNotEquals(getpid.instructions(), getppid.instructions());
        assertEquals(BpfGenerator.generate(SeccompCompiler.plan(allowing("getppid"))), getppid);
        assertEquals(getpid, SeccompCompiler.compile(allowing("getpid")));
    }
}
