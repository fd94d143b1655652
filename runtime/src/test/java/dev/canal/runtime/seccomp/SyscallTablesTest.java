package dev.canal.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyscallTablesTest {

    private static final Path HEADERS = Path.of("/usr/include/x86_64-linux-gnu/asm");
    private static final Path SECCOMP_HEADER = Path.of("/usr/include/seccomp-syscalls.h");
    private static final Path COMMITTED = Path.of("src/main/resources/dev/canal/runtime/seccomp");

    @Test
    void theCommittedTablesAreWhatTheScriptMakesFromTheseHeaders(@TempDir Path out) throws Exception {
        // linux-libc-dev provides the headers; the bindings need them too, so they are there.
        assertTrue(Files.isRegularFile(HEADERS.resolve("unistd_64.h")), "linux-libc-dev's asm/unistd_64.h");
        // libseccomp-dev provides the names of every architecture; the comparison test needs it too.
        assertTrue(Files.isRegularFile(SECCOMP_HEADER), "libseccomp-dev's seccomp-syscalls.h");
        Process script = new ProcessBuilder(
                        "../scripts/generate-syscall-tables",
                        HEADERS.toString(),
                        out.toString(),
                        SECCOMP_HEADER.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(script.getInputStream().readAllBytes());
        assertEquals(0, script.waitFor(), output);
        for (String table :
                List.of("syscalls-x86_64.txt", "syscalls-x86.txt", "syscalls-x32.txt", "syscall-names-any-arch.txt")) {
            assertEquals(Files.readString(out.resolve(table)), Files.readString(COMMITTED.resolve(table)), table);
        }
    }

    @Test
    void aNameHasOneNumberPerAbi() {
        assertEquals(0, Arch.X86_64.table().number("read").orElseThrow());
        assertEquals(3, Arch.X86.table().number("read").orElseThrow());
        assertEquals(0x4000_0000, Arch.X32.table().number("read").orElseThrow());
        assertTrue(Arch.X86.table().number("accept").isEmpty(), "i386 has accept4 and socketcall, no accept");
        assertTrue(Arch.X86_64.table().number("socketcall").isEmpty(), "only i386 multiplexes sockets");
    }

    @Test
    void callsNewerThanTheHeadersTakeTheKernelsNumbers() {
        // Since Linux 5.1 a new call has one number on every architecture; x32 adds its bit.
        for (var call : List.of(
                Map.entry("cachestat", 451),
                Map.entry("futex_requeue", 456),
                Map.entry("mseal", 462),
                Map.entry("removexattrat", 466),
                Map.entry("file_setattr", 469),
                Map.entry("listns", 470))) {
            assertEquals(
                    call.getValue(), Arch.X86_64.table().number(call.getKey()).orElseThrow(), call.getKey());
            assertEquals(call.getValue(), Arch.X86.table().number(call.getKey()).orElseThrow(), call.getKey());
            assertEquals(
                    Arch.X32_SYSCALL_BIT + call.getValue(),
                    Arch.X32.table().number(call.getKey()).orElseThrow(),
                    call.getKey());
        }
        // uretprobe is x86_64's (and x32's), in the old range; i386 has none.
        assertEquals(335, Arch.X86_64.table().number("uretprobe").orElseThrow());
        assertEquals(
                Arch.X32_SYSCALL_BIT + 335, Arch.X32.table().number("uretprobe").orElseThrow());
        assertTrue(Arch.X86.table().number("uretprobe").isEmpty());
    }

    @Test
    void theNamesOfEveryArchitectureIncludeCallsX86LacksButNotTypos() {
        for (String foreign : List.of("pciconfig_iobase", "send", "recv", "arm_fadvise64_64", "riscv_flush_icache")) {
            assertTrue(KnownSyscallNames.anyArchitectureHas(foreign), foreign);
            assertTrue(
                    Arrays.stream(Arch.values())
                            .allMatch(arch -> arch.table().number(foreign).isEmpty()),
                    foreign);
        }
        assertTrue(KnownSyscallNames.anyArchitectureHas("mseal"), "newer than libseccomp 2.5.4, in Canal's x86 tables");
        assertFalse(KnownSyscallNames.anyArchitectureHas("opne"));
        assertFalse(KnownSyscallNames.anyArchitectureHas("READ"), "names are lower case");
    }

    @Test
    void everyX32NumberCarriesTheX32Bit() {
        assertTrue(Arch.X32.table().numbers().values().stream().allMatch(nr -> nr >= Arch.X32_SYSCALL_BIT));
        assertTrue(Arch.X86_64.table().numbers().values().stream().allMatch(nr -> nr < Arch.X32_SYSCALL_BIT));
    }
}
