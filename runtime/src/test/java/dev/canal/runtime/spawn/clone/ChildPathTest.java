package dev.canal.runtime.spawn.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The child path in the parent only: dry runs, no clone, no root needed. */
class ChildPathTest {

    @Test
    void dryRunsGiveTheIndexOfEveryFailingSlot() {
        // One whole cycle: slot k fails for every k, all succeed, the clone stand-in returns a
        // pid or fails. run() throws if cloneAndRun answers anything else.
        WarmUp.run(0, 2 * ChildProgram.SLOTS + 8);
    }

    @Test
    void warmUpLeavesTheChildPathCompiledByC2() {
        WarmUp.Result result = WarmUp.ensure();
        System.out.printf(
                "clone child path warm-up: %d dry runs, %d ms, C2 confirmed: %s%n",
                result.runs(), result.took().toMillis(), result.confirmed());
        int compileId = WarmUp.c2CompileId();
        assumeTrue(compileId != WarmUp.UNKNOWN, "this JVM cannot list its compiled methods");
        assertTrue(result.confirmed(), "Compiler.codelist showed the same C2 code across a batch of dry runs");
        assertTrue(compileId >= 0, "ChildPath.cloneAndRun is compiled by C2 and in use");
        WarmUp.touch();
        assertEquals(compileId, WarmUp.c2CompileId(), "the dry runs before a spawn do not recompile it");
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
