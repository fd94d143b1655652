package dev.canal.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Profiles as Docker and podman write them: one list for every architecture (pciconfig_iobase
 * exists on arm and powerpc, send and recv on arm, mips and others, not on x86) that also names
 * calls newer than the kernel headers Canal's tables come from (Linux 6.1).
 */
class ProfileNamesTest {

    @Test
    void callsOfOtherArchitecturesAreSkippedAndChangeNothing() {
        assertEquals(
                SeccompCompiler.compile(Profiles.podmanLike(false)).instructions(),
                SeccompCompiler.compile(Profiles.podmanLike(true)).instructions());
    }

    @Test
    void callsNewerThanTheHeadersGetTheirNumbersOnEachAbi() {
        String listing = SeccompCompiler.compile(Profiles.podmanLike(true)).disassemble();
        // mseal is 462 on x86_64 and i386 and 462 + the x32 bit on x32 (Linux 6.10).
        assertEquals(2, count(listing, "jeq 462 "), listing);
        assertEquals(1, count(listing, "jeq 0x400001ce"), listing);
        // uretprobe is 335 on x86_64 and x32 only (Linux 6.11); i386's 335 is not named.
        assertEquals(1, count(listing, "jeq 335 "), listing);
        assertEquals(1, count(listing, "jeq 0x4000014f"), listing);
    }

    @Test
    void aNameNoArchitectureHasIsStillAnError() {
        var error = assertThrows(InvalidSeccompException.class, () -> SeccompCompiler.compile(Profiles.parse("""
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["send", "mseal", "opne"], "action": "SCMP_ACT_ALLOW"}]}
                """)));
        assertEquals("linux.seccomp.syscalls[0].names[2]: unknown system call \"opne\"", error.getMessage());
    }

    private static long count(String listing, String text) {
        return listing.lines().filter(line -> line.contains(text)).count();
    }
}
