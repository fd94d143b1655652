package dev.canal.runtime.sys;

/**
 * One system call, prepared but not made: its name for messages, its number and up to six
 * arguments, pointers as addresses. The same list of calls can be made here and now by a thread
 * ({@link #invoke()}) or written into a clone child's program, which makes them after clone(2)
 * without running any Java of its own.
 */
public record RawCall(String name, long number, long... args) {

    public RawCall {
        if (args.length > 6) {
            throw new IllegalArgumentException(name + ": a system call takes at most 6 arguments, got " + args.length);
        }
        args = args.clone();
    }

    @Override
    public long[] args() {
        return args.clone();
    }

    /** Makes the call on the calling thread; throws {@link SyscallException} when it fails. */
    public long invoke() {
        return Syscall.call(name, "", number, args);
    }
}
