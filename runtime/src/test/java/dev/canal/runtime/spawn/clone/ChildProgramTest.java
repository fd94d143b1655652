package dev.canal.runtime.spawn.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChildProgramTest {

    @Test
    void theSpawnersStepsComeFirstAndUnusedSlotsAreGetpid() {
        try (var arena = Arena.ofConfined()) {
            ChildProgram program = ChildProgram.builder(arena)
                    .step("setresuid", linux_h.SYS_setresuid(), 0, 0, 0)
                    .build();
            assertEquals("close the go pipe's write end", program.stepName(0));
            assertEquals("wait for parent", program.stepName(1));
            assertEquals("setresuid", program.stepName(2));
            assertEquals("(unused)", program.stepName(ChildProgram.SLOTS - 1));
            assertFalse(program.holds());
            long[] rows = program.rowsFor(11, 12, 13);
            assertEquals(linux_h.SYS_close(), rows[0]);
            assertEquals(12, rows[1], "slot 0 closes the go pipe's write end");
            assertEquals(linux_h.SYS_read(), rows[ChildProgram.ROW_LONGS]);
            assertEquals(11, rows[ChildProgram.ROW_LONGS + 1], "slot 1 reads the go pipe");
            assertEquals(linux_h.SYS_getpid(), rows[(ChildProgram.SLOTS - 1) * ChildProgram.ROW_LONGS]);
        }
    }

    @Test
    void eachRowCarriesItsOwnSlotNumberForTheFailureRecord() {
        try (var arena = Arena.ofConfined()) {
            long[] rows = ChildProgram.builder(arena).build().rowsFor(0, 0, 0);
            for (int slot = 0; slot < ChildProgram.SLOTS; slot++) {
                assertEquals(slot, (int) rows[slot * ChildProgram.ROW_LONGS + 7]);
            }
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
            assertEquals(5, program.size() - countUnused(program));
        }
    }

    /** The two close_range(2) rows around the report pipe, from slot 2. */
    private static List<String> closingRanges(int reportFd) {
        try (var arena = Arena.ofConfined()) {
            long[] rows = ChildProgram.builder(arena)
                    .closeInheritedDescriptors()
                    .build()
                    .rowsFor(11, 12, reportFd);
            return java.util.stream.IntStream.range(2, 4)
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
    void refusesMoreStepsThanSlots() {
        try (var arena = Arena.ofConfined()) {
            var builder = ChildProgram.builder(arena);
            for (int i = 2; i < ChildProgram.SLOTS; i++) {
                builder.step("getpid " + i, linux_h.SYS_getpid());
            }
            var error =
                    assertThrows(IllegalStateException.class, () -> builder.step("one too many", linux_h.SYS_getpid()));
            assertEquals("a child program has 30 free slots; \"one too many\" does not fit", error.getMessage());
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

    private static int countUnused(ChildProgram program) {
        int unused = 0;
        for (int i = 0; i < program.size(); i++) {
            unused += program.stepName(i).equals("(unused)") ? 1 : 0;
        }
        return unused;
    }
}
