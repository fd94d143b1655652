package dev.canal.runtime.spawn.clone;

import dev.canal.runtime.sys.Errno;
import dev.canal.runtime.sys.SyscallException;

/**
 * A step of a {@link ChildProgram} failed in the child, which then exited; the spawner has
 * already reaped it. The message names the step and the errno as the child reported it:
 * {@code clone child step "setresuid": EPERM (Operation not permitted)}. The errno itself is
 * the {@linkplain #getCause() cause}, a {@link SyscallException} like any other failed call.
 */
public final class ChildStepException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String step;
    private final int slot;
    private final int pid;

    ChildStepException(String step, int slot, int pid, int errno) {
        this(step, slot, pid, Errno.failure("clone child step \"" + step + "\"", "", errno));
    }

    private ChildStepException(String step, int slot, int pid, SyscallException failure) {
        super(failure.getMessage(), failure);
        this.step = step;
        this.slot = slot;
        this.pid = pid;
    }

    /** The failed step's name, as given to the {@link ChildProgram.Builder}. */
    public String step() {
        return step;
    }

    /** The failed step's slot in the program. */
    public int slot() {
        return slot;
    }

    /** The pid the child had; it has been reaped, so the number may already be another process's. */
    public int pid() {
        return pid;
    }

    /** The symbolic errno the step failed with, for example {@code ENOENT}. */
    public String errnoName() {
        return ((SyscallException) getCause()).errnoName();
    }
}
