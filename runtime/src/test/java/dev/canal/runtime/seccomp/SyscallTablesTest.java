package dev.canal.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyscallTablesTest {

    private static final Path HEADERS = Path.of("/usr/include/x86_64-linux-gnu/asm");
    private static final Path COMMITTED = Path.of("src/main/resources/dev/canal/runtime/seccomp");

    @Test
    void theCommittedTablesAreWhatTheScriptMakesFromTheseHeaders(@TempDir Path out) throws Exception {
        // linux-libc-dev provides the headers; the bindings need them too, so they are there.
        assertTrue(Files.isRegularFile(HEADERS.resolve("unistd_64.h")), "linux-libc-dev's asm/unistd_64.h");
        Process script = new ProcessBuilder("../scripts/generate-syscall-tables", HEADERS.toString(), out.toString())
                .redirectErrorStream(true).start();
        String output = new String(script.getInputStream().readAllBytes());
        assertEquals(0, script.waitFor(), output);
        for (String table : List.of("syscalls-x86_64.txt", "syscalls-x86.txt", "syscalls-x32.txt")) {
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
    void everyX32NumberCarriesTheX32Bit() {
        assertTrue(Arch.X32.table().numbers().values().stream().allMatch(nr -> nr >= Arch.X32_SYSCALL_BIT));
        assertTrue(Arch.X86_64.table().numbers().values().stream().allMatch(nr -> nr < Arch.X32_SYSCALL_BIT));
    }
}
