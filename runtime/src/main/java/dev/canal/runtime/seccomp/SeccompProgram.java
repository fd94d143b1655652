package dev.canal.runtime.seccomp;

import dev.canal.bindings.linux.sock_filter;
import dev.canal.bindings.linux.sock_fprog;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * A compiled seccomp filter: the BPF instructions and the flags to install them with.
 *
 * @param instructions at most BPF_MAXINSNS (4096)
 * @param flags the SECCOMP_FILTER_FLAG_* bits for seccomp(2)
 */
public record SeccompProgram(List<ClassicBpfInstruction> instructions, int flags) {

    public SeccompProgram {
        instructions = List.copyOf(instructions);
    }

    /**
     * The program as the kernel takes it, a {@code struct sock_fprog} (linux/filter.h) pointing at
     * an array of {@code struct sock_filter}, both allocated in {@code arena}. seccomp(2) copies the
     * program, so the memory may be freed once the call returns. Built ahead of time, it lets a
     * child that may run only raw system calls install the filter with one
     * {@code syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, fprog.address())}.
     */
    public MemorySegment toSockFprog(Arena arena) {
        MemorySegment filters = sock_filter.allocateArray(instructions.size(), arena);
        for (int i = 0; i < instructions.size(); i++) {
            ClassicBpfInstruction instruction = instructions.get(i);
            MemorySegment filter = sock_filter.asSlice(filters, i);
            sock_filter.code(filter, instruction.code());
            sock_filter.jt(filter, (byte) instruction.jt());
            sock_filter.jf(filter, (byte) instruction.jf());
            sock_filter.k(filter, instruction.k());
        }
        MemorySegment program = sock_fprog.allocate(arena);
        sock_fprog.len(program, (short) instructions.size());
        // The pointer written as its address, a long: the ADDRESS layout's VarHandle would be
        // method handle classes spun at run time in every JVM (docs/start-time.md).
        program.set(ValueLayout.JAVA_LONG, sock_fprog.filter$offset(), filters.address());
        return program;
    }

    /** A listing of the program, one instruction a line; see {@link Disassembler}. */
    public String disassemble() {
        return Disassembler.listing(instructions);
    }
}
