package dev.canal.runtime.spawn.clone;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.CStrings;
import dev.canal.runtime.sys.RawCall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a cloned child does before execve(2): a fixed table of {@value #SLOTS} system calls,
 * built in the parent, run in order by the child without any Java logic of its own.
 *
 * <p>Each slot is one row of {@value #ROW_LONGS} longs in native memory: the system call number,
 * its six arguments (pointers as addresses of memory in the builder's arena) and the slot's own
 * failure record, the int the child writes to the report pipe when that slot fails. Unused slots
 * hold getpid(2), which cannot fail. The step names stay in Java, in the parent, so a failure
 * reads {@code clone child step "setresuid": EPERM (Operation not permitted)}.
 *
 * <p>Two slots are the spawner's: slot 0 closes the child's copy of the go pipe's write end (so
 * the child sees end of file if the parent dies) and slot 1 blocks reading the go pipe until
 * {@link CloneChild#proceed()}. A {@linkplain Builder#holdPoint() hold point} writes a record to
 * the report pipe right before the step that blocks. The spawner fills in the descriptors of
 * these three slots for each attempt, in a copy: a built program is read-only and can be spawned
 * by several threads at once.
 *
 * <pre>{@code
 * try (var arena = Arena.ofConfined()) {
 *     ChildProgram program = ChildProgram.builder(arena)
 *             .step("setresuid", linux_h.SYS_setresuid(), 0, 0, 0)
 *             .execve("/bin/true", List.of("true"), List.of())
 *             .build();
 *     CloneChild child = CloneSpawner.spawn(linux_h.CLONE_NEWPID(), program, Duration.ofSeconds(2));
 * }
 * }</pre>
 *
 * The arena must stay open until {@code spawn} returns; the child has its own copy of the memory
 * from the instant of the clone.
 */
public final class ChildProgram {

    /** Slots in every program, the spawner's two included. */
    public static final int SLOTS = 32;
    /** Longs per slot: number, six arguments, failure record. */
    static final int ROW_LONGS = 8;

    static final long ROW_BYTES = ROW_LONGS * Long.BYTES;
    /** Within a row, the int the child writes when the slot fails: the slot's index. */
    static final long RECORD_OFFSET = 7 * Long.BYTES;
    /** After the rows: the record the hold point writes, {HELD_MARK, 0}. */
    static final long HELD_RECORD = SLOTS * ROW_BYTES;
    /** The first half of the record the parent writes when clone itself fails: {CLONE_MARK}. */
    static final long CLONE_RECORD = HELD_RECORD + 8;
    /** The one byte slot 1 reads from the go pipe. */
    static final long GO_BUFFER = CLONE_RECORD + 8;

    static final long TABLE_BYTES = GO_BUFFER + 8;

    static final int HELD_MARK = -1;
    static final int CLONE_MARK = -2;

    static final int CLOSE_GO_SLOT = 0;
    static final int GO_SLOT = 1;
    private static final int FIRST_FREE_SLOT = 2;

    /**
     * rt_sigprocmask(2) is not in the generated bindings; 14 is its number on x86-64, the
     * platform the bindings are generated and checked for.
     */
    private static final int SYS_RT_SIGPROCMASK = 14;
    /** The kernel's sigset_t is 64 bits; rt_sigprocmask(2) takes its size. */
    private static final long KERNEL_SIGSET_BYTES = 8;

    /** The highest descriptor close_range(2) accepts: ~0U. */
    private static final long LAST_DESCRIPTOR = 0xFFFF_FFFFL;

    private final MemorySegment table;
    private final List<String> names;
    private final int heldSlot;
    private final int closingSlot;

    private ChildProgram(MemorySegment table, List<String> names, int heldSlot, int closingSlot) {
        this.table = table;
        this.names = List.copyOf(names);
        this.heldSlot = heldSlot;
        this.closingSlot = closingSlot;
    }

    /** Starts a program whose table, strings and buffers live in {@code arena}. */
    public static Builder builder(Arena arena) {
        return new Builder(arena);
    }

    /** The name of slot {@code index}, as error messages give it. */
    public String stepName(int index) {
        return names.get(index);
    }

    /** The steps actually used, the spawner's included. */
    public int size() {
        return names.size();
    }

    /** Whether the program reports a hold point, so a spawn waits for it rather than for exec. */
    public boolean holds() {
        return heldSlot >= 0;
    }

    /** The address of the native table, for the failure records. */
    long tableAddress() {
        return table.address();
    }

    /**
     * The rows as the child will run them, copied into the heap (the child method loads them into
     * locals before cloning) with this attempt's descriptors filled in.
     */
    long[] rowsFor(int goReadFd, int goWriteFd, int reportWriteFd) {
        long[] rows = table.asSlice(0, HELD_RECORD).toArray(JAVA_LONG);
        rows[CLOSE_GO_SLOT * ROW_LONGS + 1] = goWriteFd;
        rows[GO_SLOT * ROW_LONGS + 1] = goReadFd;
        if (heldSlot >= 0) {
            rows[heldSlot * ROW_LONGS + 1] = reportWriteFd;
        }
        if (closingSlot >= 0) {
            fillClosingRanges(rows, reportWriteFd);
        }
        return rows;
    }

    /**
     * The two close_range(2) steps of {@link Builder#closeInheritedDescriptors}: everything from
     * 3 up but the report pipe, whose number is known only now. A range that turns out empty
     * (the pipe is 3) becomes getpid(2): close_range refuses a first descriptor above the last
     * (EINVAL).
     */
    private void fillClosingRanges(long[] rows, int reportWriteFd) {
        long[][] ranges = {{3, reportWriteFd - 1L}, {reportWriteFd + 1L, LAST_DESCRIPTOR}};
        for (int i = 0; i < ranges.length; i++) {
            int row = (closingSlot + i) * ROW_LONGS;
            boolean empty = ranges[i][0] > ranges[i][1];
            rows[row] = empty ? linux_h.SYS_getpid() : linux_h.SYS_close_range();
            rows[row + 1] = empty ? 0 : ranges[i][0];
            rows[row + 2] = empty ? 0 : ranges[i][1];
        }
    }

    /** Collects steps in order; {@link #build()} fills the remaining slots with getpid(2). */
    public static final class Builder {

        private final Arena arena;
        private final MemorySegment table;
        private final List<String> names = new ArrayList<>();
        private int heldSlot = -1;
        private int closingSlot = -1;

        private Builder(Arena arena) {
            this.arena = Objects.requireNonNull(arena, "arena");
            this.table = arena.allocate(TABLE_BYTES, Long.BYTES);
            // close(2) of the go pipe's write end: the child got a copy of every descriptor, and
            // while it holds one the pipe never reaches end of file should the parent die.
            put("close the go pipe's write end", linux_h.SYS_close(), -1);
            // read(2) of one byte: blocks until the parent calls proceed().
            put("wait for parent", linux_h.SYS_read(), -1, table.address() + GO_BUFFER, 1);
            table.set(JAVA_INT, HELD_RECORD, HELD_MARK);
            table.set(JAVA_INT, CLONE_RECORD, CLONE_MARK);
        }

        /**
         * Adds system call {@code number} with up to six arguments; pointers are addresses
         * ({@link #cString}, {@link MemorySegment#address()} of memory in this builder's arena).
         * The step fails when the call returns a negative value.
         *
         * @param name what the step does, for error messages: {@code "setresuid"}
         */
        public Builder step(String name, long number, long... args) {
            if (args.length > 6) {
                throw new IllegalArgumentException(
                        "step \"" + name + "\": a system call takes at most 6 arguments, got " + args.length);
            }
            put(name, number, args);
            return this;
        }

        /** Adds a prepared system call as a step; see {@link #step(String, long, long...)}. */
        public Builder step(RawCall call) {
            return step(call.name(), call.number(), call.args());
        }

        /**
         * The hold point: the child writes a record to the report pipe, so the parent knows it got
         * this far, and the next step should be the one that blocks (an open(2) of a FIFO, for
         * instance, which returns once the parent opens the FIFO for writing). The spawner's
         * watchdog times the child up to here; what follows waits as long as it must.
         */
        public Builder holdPoint() {
            if (heldSlot >= 0) {
                throw new IllegalStateException("a program has one hold point");
            }
            heldSlot = names.size();
            put("report the hold point", linux_h.SYS_write(), -1, table.address() + HELD_RECORD, 8);
            return this;
        }

        /**
         * Closes every descriptor from 3 up except the report pipe's write end (two
         * close_range(2) steps, whose ranges the spawner fills in once it knows the pipe). The
         * child got a copy of each of the JVM's descriptors, which it never uses: closed early,
         * they cannot count against an RLIMIT_NOFILE the container's process is given while held
         * (a step that opens a file would fail with EMFILE as soon as the JVM had more
         * descriptors open than that limit), and a held process does not keep the JVM's files,
         * pipes and sockets open after the JVM has closed them. The thread engine's process is
         * born without them.
         */
        public Builder closeInheritedDescriptors() {
            if (closingSlot >= 0) {
                throw new IllegalStateException("a program closes its inherited descriptors once");
            }
            closingSlot = names.size();
            put("close inherited descriptors (below the report pipe)", linux_h.SYS_close_range(), 0, 0, 0);
            return step("close inherited descriptors (above the report pipe)", linux_h.SYS_close_range(), 0, 0, 0);
        }

        /**
         * Ends the program with execve(2), after two steps every exec from a JVM needs: descriptors
         * from 3 up are marked close-on-exec (the JVM opens many without it, and the new program
         * must not inherit them), and the signal mask is emptied (JVM threads block SIGQUIT, and a
         * mask survives execve). Both happen last so nothing of the JVM can run in between.
         */
        public Builder execve(String path, List<String> argv, List<String> environment) {
            return execve(path, argv, environment, List.of());
        }

        /**
         * {@link #execve(String, List, List)} with {@code lastCalls} between those two steps and
         * the exec: a seccomp filter, so that it need allow nothing of the setup but execve.
         */
        public Builder execve(String path, List<String> argv, List<String> environment, List<RawCall> lastCalls) {
            step(
                    "mark inherited descriptors close-on-exec",
                    linux_h.SYS_close_range(),
                    3,
                    0xFFFF_FFFFL,
                    linux_h.CLOSE_RANGE_CLOEXEC());
            step(
                    "unblock all signals",
                    SYS_RT_SIGPROCMASK,
                    linux_h.SIG_SETMASK(),
                    emptySignalSet(),
                    0,
                    KERNEL_SIGSET_BYTES);
            lastCalls.forEach(this::step);
            return step(
                    "execve " + path,
                    linux_h.SYS_execve(),
                    cString(path),
                    cStringArray(argv),
                    cStringArray(environment));
        }

        /** A NUL-terminated copy of {@code value} in this builder's arena; its address. */
        public long cString(String value) {
            return CStrings.allocate(arena, value).address();
        }

        /** A NULL-terminated {@code char *[]} in this builder's arena, as execve(2) takes. */
        public long cStringArray(List<String> values) {
            return CStrings.allocateArray(arena, values).address();
        }

        /** Fills the free slots with getpid(2) and freezes the table. */
        public ChildProgram build() {
            while (names.size() < SLOTS) {
                put("(unused)", linux_h.SYS_getpid());
            }
            return new ChildProgram(table, names, heldSlot, closingSlot);
        }

        private long emptySignalSet() {
            return arena.allocate(KERNEL_SIGSET_BYTES, Long.BYTES).address();
        }

        private void put(String name, long number, long... args) {
            int slot = names.size();
            if (slot == SLOTS) {
                throw new IllegalStateException("a child program has " + (SLOTS - FIRST_FREE_SLOT) + " free slots; \""
                        + name + "\" does not fit");
            }
            long row = slot * ROW_BYTES;
            table.set(JAVA_LONG, row, number);
            for (int i = 0; i < 6; i++) {
                table.set(JAVA_LONG, row + (i + 1) * Long.BYTES, i < args.length ? args[i] : 0);
            }
            table.set(JAVA_INT, row + RECORD_OFFSET, slot);
            names.add(Objects.requireNonNull(name, "name"));
        }
    }
}
