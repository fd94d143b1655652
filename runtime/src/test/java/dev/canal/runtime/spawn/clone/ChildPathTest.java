package dev.canal.runtime.spawn.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.Pipe;
import dev.canal.runtime.sys.Processes;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/** The child path in the parent only: dry runs, no clone, no root needed. */
class ChildPathTest {

    /** A system call number no kernel knows: ENOSYS. */
    private static final long UNKNOWN_SYSCALL = 100_000;

    @Test
    void dryRunsGiveTheIndexOfEveryFailingSlot() {
        // One whole cycle: slot k fails for every k of every block, all succeed, the clone
        // stand-in returns a pid or fails. run() throws if cloneAndRun answers anything else.
        WarmUp.run(0, 2 * WarmUp.SLOTS + 8);
    }

    /**
     * A built program run in this process, with kill(self, 0) standing in for clone: its first
     * two slots really close the write end of a go pipe and read that pipe, then block after
     * block of getpid(2) runs until the one step that fails, far past the old limit of 32 slots.
     */
    private static long dryRun(int steps, int failing, boolean parentSaysGo) throws Throwable {
        try (var arena = Arena.ofConfined();
                var go = Pipe.create()) {
            var builder = ChildProgram.builder(arena);
            for (int i = 0; i < steps; i++) {
                builder.step("step " + i, i == failing ? UNKNOWN_SYSCALL : linux_h.SYS_getpid());
            }
            ChildProgram program = builder.build();
            if (parentSaysGo) {
                go.writeEnd().writeFully(new byte[] {1});
            }
            // Slot 0 closes the write end: the pipe no longer owns it.
            long[] rows = program.rowsFor(go.readEnd().fd(), go.writeEnd().release(), -1);
            long getpid = linux_h.SYS_getpid();
            return ChildPath.cloneAndRun(linux_h.SYS_kill(), Processes.pid(), getpid, getpid, -1, 0, 0, rows);
        }
    }

    @Test
    void aLongProgramRunsToTheEndOrToItsFailingStep() throws Throwable {
        assertEquals(0, dryRun(150, -1, true), "150 steps and the spawner's two, in 19 blocks");
        assertEquals(-2 - (2 + 130), dryRun(150, 130, true), "step 130 is slot 132, in block 16");
        assertEquals(-2 - (2 + 5), dryRun(6, 5, true), "slot 7, the last of the first block");
    }

    @Test
    void endOfFileOnTheGoPipeFailsTheWaitForTheParent() throws Throwable {
        // read(2) returns 0, which is below that slot's least success of 1.
        assertEquals(-2 - ChildProgram.GO_SLOT, dryRun(150, -1, false));
    }

    @Test
    void warmUpLeavesBothMethodsCompiledByC2() {
        WarmUp.Result result = WarmUp.ensure();
        System.out.printf(
                "clone child path warm-up: %d dry runs, %d ms, C2 confirmed: %s%n",
                result.runs(), result.took().toMillis(), result.confirmed());
        WarmUp.Compiled compiled = WarmUp.c2Compiled();
        assertFalse(compiled.unknown(), "this JVM lists its compiled methods (Compiler.codelist)");
        assertTrue(result.confirmed(), "Compiler.codelist showed the same C2 code across a batch of dry runs");
        assertTrue(compiled.bothByC2(), "cloneAndRun and runBlock are compiled by C2 and in use: " + compiled);
        WarmUp.touch();
        assertEquals(compiled, WarmUp.c2Compiled(), "the dry runs before a spawn do not recompile them");
    }

    @Test
    void waitStatusesDecodeAsAShellReportsThem() {
        assertEquals(7, WaitStatus.decode(7 << 8).shellCode());
        assertEquals("exited with 7", WaitStatus.decode(7 << 8).toString());
        assertEquals(137, WaitStatus.decode(9).shellCode());
        assertEquals("killed by SIGKILL", WaitStatus.decode(9).toString());
        assertEquals(
                "killed by SIGSEGV (core dumped)", WaitStatus.decode(0x80 | 11).toString());
    }
}
