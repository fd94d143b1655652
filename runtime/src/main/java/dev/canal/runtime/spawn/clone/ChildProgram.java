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
 * What a cloned child does before execve(2): a table of system calls, built in the parent, run
 * in order by the child without any Java logic of its own.
 *
 * <p>Each slot is one row of {@value #ROW_LONGS} longs: the system call number, its six
 * arguments (pointers as addresses of memory in the builder's arena) and the slot's record, two
 * ints: the failure record the child writes to the report pipe when that slot fails (the slot's
 * index, the low half) and the least result that counts as success (the high half: 0 for every
 * step but the spawner's read of the go pipe, for which end of file, 0, is a failure). The table
 * has no fixed size: it grows by whole {@linkplain #BLOCK blocks} of {@value #BLOCK} slots, the
 * unit {@link ChildPath} runs unrolled, and {@link Builder#build()} pads the last block with
 * getpid(2), which cannot fail. The step names stay in Java, in the parent, so a failure reads
 * {@code clone child step "setresuid": EPERM (Operation not permitted)}.
 *
 * <p>Two slots are the spawner's: slot 0 closes the child's copy of the go pipe's write end (so
 * the child sees end of file if the parent dies) and slot 1 blocks reading the go pipe until
 * {@link CloneChild#proceed()}. A {@linkplain Builder#holdPoint() hold point} writes a record to
 * the report pipe right before the step that blocks. The spawner fills in the descriptors of
 * these slots for each attempt, in a copy: a built program is read-only and can be spawned by
 * several threads at once. The records that are not a slot's (the hold point's, the one the
 * parent writes when clone itself fails, the go pipe's one-byte buffer) live in a small segment
 * of their own, allocated when the builder starts, so steps can point into it before the
 * table's size is known.
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

    /** Slots per block: {@link ChildPath} runs one block per call, unrolled; a table is whole blocks. */
    static final int BLOCK = 8;
    /** Longs per slot: number, six arguments, record. */
    static final int ROW_LONGS = 8;

    static final long ROW_BYTES = ROW_LONGS * Long.BYTES;
    /** Within a row, the record: the int the child writes when the slot fails (its index), then the least success. */
    static final int RECORD_LONG = 7;

    static final long RECORD_OFFSET = RECORD_LONG * Long.BYTES;
    /** In the records segment: the record the hold point writes, {HELD_MARK, 0}. */
    static final long HELD_RECORD = 0;
    /** The first half of the record the parent writes when clone itself fails: {CLONE_MARK}. */
    static final long CLONE_RECORD = HELD_RECORD + 8;
    /** The one byte slot 1 reads from the go pipe. */
    static final long GO_BUFFER = CLONE_RECORD + 8;

    static final long RECORDS_BYTES = GO_BUFFER + 8;

    static final int HELD_MARK = -1;
    static final int CLONE_MARK = -2;

    static final int CLOSE_GO_SLOT = 0;
    static final int GO_SLOT = 1;

    /** The name of a slot that pads the last block. */
    static final String PADDING = "(padding)";

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
    private final MemorySegment records;
    private final List<String> names;
    private final int heldSlot;
    private final int closingSlot;

    private ChildProgram(
            MemorySegment table, MemorySegment records, List<String> names, int heldSlot, int closingSlot) {
        this.table = table;
        this.records = records;
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

    /** The slots in the table, the spawner's and the padding included: a multiple of {@value #BLOCK}. */
    public int size() {
        return names.size();
    }

    /** Whether the program reports a hold point, so a spawn waits for it rather than for exec. */
    public boolean holds() {
        return heldSlot >= 0;
    }

    /** The address of the native table: slot {@code k}'s failure record is at {@code k * ROW_BYTES + RECORD_OFFSET}. */
    long tableAddress() {
        return table.address();
    }

    /** The address of the records that are not a slot's: hold point, clone failure, go buffer. */
    long recordsAddress() {
        return records.address();
    }

    /**
     * The rows as the child will run them, copied into the heap (the child reads them from its
     * copy-on-write snapshot of this array) with this attempt's descriptors filled in.
     */
    long[] rowsFor(int goReadFd, int goWriteFd, int reportWriteFd) {
        long[] rows = table.toArray(JAVA_LONG);
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

    /** Collects steps in order; {@link #build()} pads the last block with getpid(2). */
    public static final class Builder {

        private final Arena arena;
        private final MemorySegment records;
        private final List<long[]> rows = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        private int heldSlot = -1;
        private int closingSlot = -1;
        private boolean readyForExec;

        private Builder(Arena arena) {
            this.arena = Objects.requireNonNull(arena, "arena");
            this.records = arena.allocate(RECORDS_BYTES, Long.BYTES);
            records.set(JAVA_INT, HELD_RECORD, HELD_MARK);
            records.set(JAVA_INT, CLONE_RECORD, CLONE_MARK);
            // close(2) of the go pipe's write end: the child got a copy of every descriptor, and
            // while it holds one the pipe never reaches end of file should the parent die.
            put("close the go pipe's write end", 0, linux_h.SYS_close(), -1);
            // read(2) of one byte: blocks until the parent calls proceed(); end of file (0) means
            // the parent is gone, so success is a result of at least 1.
            put("wait for parent", 1, linux_h.SYS_read(), -1, records.address() + GO_BUFFER, 1);
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
            put(name, 0, number, args);
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
            put("report the hold point", 0, linux_h.SYS_write(), -1, records.address() + HELD_RECORD, 8);
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
            put("close inherited descriptors (below the report pipe)", 0, linux_h.SYS_close_range(), 0, 0, 0);
            return step("close inherited descriptors (above the report pipe)", linux_h.SYS_close_range(), 0, 0, 0);
        }

        /**
         * The two steps every exec from a JVM needs: descriptors from 3 up are marked
         * close-on-exec (the JVM opens many without it, and the new program must not inherit
         * them), and the signal mask is emptied (JVM threads block SIGQUIT, and a mask survives
         * execve). {@link #execve} adds them right before the exec unless the program has them
         * already: a program whose last steps run under a seccomp filter takes them earlier, so
         * the filter need allow neither close_range(2) nor rt_sigprocmask(2).
         */
        public Builder readyForExec() {
            if (readyForExec) {
                throw new IllegalStateException("a program gets ready for exec once");
            }
            readyForExec = true;
            step(
                    "mark inherited descriptors close-on-exec",
                    linux_h.SYS_close_range(),
                    3,
                    LAST_DESCRIPTOR,
                    linux_h.CLOSE_RANGE_CLOEXEC());
            return step(
                    "unblock all signals",
                    SYS_RT_SIGPROCMASK,
                    linux_h.SIG_SETMASK(),
                    emptySignalSet(),
                    0,
                    KERNEL_SIGSET_BYTES);
        }

        /** Ends the program with execve(2), after {@link #readyForExec()} if it has not had it. */
        public Builder execve(String path, List<String> argv, List<String> environment) {
            return execve(path, argv, environment, List.of());
        }

        /**
         * {@link #execve(String, List, List)} with {@code lastCalls} right before the exec: a
         * seccomp filter, so that it need allow nothing of the setup but execve.
         */
        public Builder execve(String path, List<String> argv, List<String> environment, List<RawCall> lastCalls) {
            if (!readyForExec) {
                readyForExec();
            }
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

        /** Pads the last block with getpid(2) and writes the table into native memory. */
        public ChildProgram build() {
            while (names.size() % BLOCK != 0) {
                put(PADDING, 0, linux_h.SYS_getpid());
            }
            MemorySegment table = arena.allocate(rows.size() * ROW_BYTES, Long.BYTES);
            for (int slot = 0; slot < rows.size(); slot++) {
                MemorySegment.copy(rows.get(slot), 0, table, JAVA_LONG, slot * ROW_BYTES, ROW_LONGS);
            }
            return new ChildProgram(table, records, names, heldSlot, closingSlot);
        }

        private long emptySignalSet() {
            return arena.allocate(KERNEL_SIGSET_BYTES, Long.BYTES).address();
        }

        /**
         * One row: the number, the arguments (the missing ones 0) and the record, whose low int
         * (written to the report pipe from the native table, so first in memory on this
         * little-endian platform) is the slot's index and whose high int is {@code leastSuccess}.
         */
        private void put(String name, int leastSuccess, long number, long... args) {
            long[] row = new long[ROW_LONGS];
            row[0] = number;
            System.arraycopy(args, 0, row, 1, args.length);
            row[RECORD_LONG] = ((long) leastSuccess << 32) | names.size();
            rows.add(row);
            names.add(Objects.requireNonNull(name, "name"));
        }
    }
}
