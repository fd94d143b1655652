package dev.canal.runtime.spawn.clone;

import dev.canal.runtime.sys.Signals;

/**
 * How a child ended, decoded from the status wait4(2) fills in: either it exited with a code, or
 * a signal killed it.
 *
 * @param exitCode   the code passed to exit(2), when {@code signal} is 0
 * @param signal     the signal that killed it, or 0 when it exited
 * @param coreDumped whether the kernel wrote a core dump
 */
public record WaitStatus(int exitCode, int signal, boolean coreDumped) {

    /**
     * Decodes a raw status as the {@code WIFEXITED}/{@code WTERMSIG} macros of wait(2) do: the
     * low 7 bits are the terminating signal (0 when the child exited), bit 7 says a core was
     * dumped, bits 8-15 are the exit code.
     */
    static WaitStatus decode(int raw) {
        int signal = raw & 0x7f;
        return signal == 0 ? new WaitStatus((raw >> 8) & 0xff, 0, false) : new WaitStatus(0, signal, (raw & 0x80) != 0);
    }

    /** Whether the child exited by itself rather than being killed by a signal. */
    public boolean exited() {
        return signal == 0;
    }

    /** The status as a shell reports it in {@code $?}: the exit code, or 128 + the signal. */
    public int shellCode() {
        return exited() ? exitCode : 128 + signal;
    }

    @Override
    public String toString() {
        return exited()
                ? "exited with " + exitCode
                : "killed by " + Signals.name(signal) + (coreDumped ? " (core dumped)" : "");
    }
}
