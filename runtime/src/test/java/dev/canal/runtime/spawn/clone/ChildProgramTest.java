package dev.canal.runtime.spawn.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.RawCall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChildProgramTest {

    @Test
    void theSpawnersStepsComeFirstAndTheLastBlockIsPaddedWithGetpid() {
        try (var arena = Arena.ofConfined()) {
            ChildProgram program = ChildProgram.builder(arena)
                    .step("setresuid", linux_h.SYS_setresuid(), 0, 0, 0)
                    .build();
            assertEquals("close the go pipe's write end", program.stepName(0));
            assertEquals("wait for parent", program.stepName(1));
            assertEquals("setresuid", program.stepName(2));
            assertEquals(ChildProgram.BLOCK, program.size());
            assertEquals(ChildProgram.PADDING, program.stepName(ChildProgram.BLOCK - 1));
            assertFalse(program.holds());
            long[] rows = program.rowsFor(11, 12, 13);
            assertEquals(ChildProgram.BLOCK * ChildProgram.ROW_LONGS, rows.length);
            assertEquals(linux_h.SYS_close(), rows[0]);
            assertEquals(12, rows[1], "slot 0 closes the go pipe's write end");
            assertEquals(linux_h.SYS_read(), rows[ChildProgram.ROW_LONGS]);
            assertEquals(11, rows[ChildProgram.ROW_LONGS + 1], "slot 1 reads the go pipe");
            assertEquals(linux_h.SYS_getpid(), rows[(ChildProgram.BLOCK - 1) * ChildProgram.ROW_LONGS]);
        }
    }

    @Test
    void eachRowCarriesItsSlotForTheFailureRecordAndItsLeastSuccess() {
        try (var arena = Arena.ofConfined()) {
            ChildProgram program = ChildProgram.builder(arena).build();
            long[] rows = program.rowsFor(0, 0, 0);
            MemorySegment table =
                    MemorySegment.ofAddress(program.tableAddress()).reinterpret(rows.length * (long) Long.BYTES);
            for (int slot = 0; slot < program.size(); slot++) {
                long record = rows[slot * ChildProgram.ROW_LONGS + ChildProgram.RECORD_LONG];
                assertEquals(slot, (int) record);
                // Only the read of the go pipe needs more than 0: end of file means the parent died.
                assertEquals(slot == ChildProgram.GO_SLOT ? 1 : 0, record >> 32, "least success of slot " + slot);
                // The int the child writes to the report pipe, from the native table.
                assertEquals(
                        slot,
                        table.get(ValueLayout.JAVA_INT, slot * ChildProgram.ROW_BYTES + ChildProgram.RECORD_OFFSET));
            }
        }
    }

    @Test
    void aProgramHasNoFixedLimitAndGrowsByWholeBlocks() {
        try (var arena = Arena.ofConfined()) {
            var builder = ChildProgram.builder(arena);
            // As many as a user namespace with every capability can ask for, and then some.
            for (int i = 0; i < 300; i++) {
                builder.step("prctl " + i, linux_h.SYS_prctl(), i);
            }
            ChildProgram program = builder.holdPoint().build();
            assertEquals(304, program.size(), "302 steps and the hold point, padded to 38 blocks");
            assertEquals("prctl 299", program.stepName(301));
            assertEquals("report the hold point", program.stepName(302));
            assertEquals(ChildProgram.PADDING, program.stepName(303));
            long[] rows = program.rowsFor(11, 12, 13);
            assertEquals(299, rows[301 * ChildProgram.ROW_LONGS + 1]);
            assertEquals(13, rows[302 * ChildProgram.ROW_LONGS + 1], "the hold point writes to the report pipe");
            assertEquals(program.recordsAddress() + ChildProgram.HELD_RECORD, rows[302 * ChildProgram.ROW_LONGS + 2]);
        }
    }

    @Test
    void theHoldPointWritesToTheReportPipe() {
        try (var arena = Arena.ofConfined()) {
            ChildProgram program = ChildProgram.builder(arena).holdPoint().build();
            assertTrue(program.holds());
            long[] rows = program.rowsFor(11, 12, 13);
            assertEquals(linux_h.SYS_write(), rows[2 * ChildProgram.ROW_LONGS]);
            assertEquals(13, rows[2 * ChildProgram.ROW_LONGS + 1]);
        }
    }

    @Test
    void execveUnblocksSignalsAndMarksInheritedDescriptorsFirst() {
        try (var arena = Arena.ofConfined()) {
            ChildProgram program = ChildProgram.builder(arena)
                    .execve("/bin/true", List.of("true"), List.of())
                    .build();
            assertEquals("mark inherited descriptors close-on-exec", program.stepName(2));
            assertEquals("unblock all signals", program.stepName(3));
            assertEquals("execve /bin/true", program.stepName(4));
            assertEquals(5, program.size() - countPadding(program));
        }
    }

    @Test
    void aProgramReadyForExecEarlyHasOnlyItsLastCallsBeforeTheExec() {
        try (var arena = Arena.ofConfined()) {
            ChildProgram program = ChildProgram.builder(arena)
                    .readyForExec()
                    .step("setresuid", linux_h.SYS_setresuid(), 0, 0, 0)
                    .execve("/bin/true", List.of("true"), List.of(), List.of(new RawCall("last", linux_h.SYS_getpid())))
                    .build();
            assertEquals(
                    List.of(
                            "close the go pipe's write end",
                            "wait for parent",
                            "mark inherited descriptors close-on-exec",
                            "unblock all signals",
                            "setresuid",
                            "last",
                            "execve /bin/true"),
                    IntStream.range(0, program.size() - countPadding(program))
                            .mapToObj(program::stepName)
                            .toList());
            assertThrows(
                    IllegalStateException.class,
                    () -> ChildProgram.builder(arena).readyForExec().readyForExec());
        }
    }

    /** The two close_range(2) rows around the report pipe, from slot 2. */
    private static List<String> closingRanges(int reportFd) {
        try (var arena = Arena.ofConfined()) {
            long[] rows = ChildProgram.builder(arena)
                    .closeInheritedDescriptors()
                    .build()
                    .rowsFor(11, 12, reportFd);
            return IntStream.range(2, 4)
                    .mapToObj(slot -> {
                        int row = slot * ChildProgram.ROW_LONGS;
                        return rows[row] == linux_h.SYS_getpid()
                                ? "none"
                                : rows[row] == linux_h.SYS_close_range()
                                        ? rows[row + 1] + "-" + (rows[row + 2] == 0xFFFF_FFFFL ? "max" : rows[row + 2])
                                        : "?";
                    })
                    .toList();
        }
    }

    @Test
    void closesEverythingButTheReportPipe() {
        assertEquals(List.of("3-13", "15-max"), closingRanges(14));
        // An empty range becomes getpid: close_range(2) refuses first > last with EINVAL.
        assertEquals(List.of("none", "4-max"), closingRanges(3));
        try (var arena = Arena.ofConfined()) {
            assertThrows(
                    IllegalStateException.class,
                    () -> ChildProgram.builder(arena)
                            .closeInheritedDescriptors()
                            .closeInheritedDescriptors());
        }
    }

    @Test
    void refusesMoreThanSixArgumentsAndASecondHoldPoint() {
        try (var arena = Arena.ofConfined()) {
            var builder = ChildProgram.builder(arena).holdPoint();
            assertThrows(IllegalArgumentException.class, () -> builder.step("seven", 1, 1, 2, 3, 4, 5, 6, 7));
            assertThrows(IllegalStateException.class, builder::holdPoint);
        }
    }

    private static int countPadding(ChildProgram program) {
        int padding = 0;
        for (int i = 0; i < program.size(); i++) {
            padding += program.stepName(i).equals(ChildProgram.PADDING) ? 1 : 0;
        }
        return padding;
    }
}
