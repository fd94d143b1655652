package dev.canal.runtime.sys;

/**
 * flock(2): advisory whole-file locks, shared (many holders) or exclusive (one holder).
 *
 * <p>A flock lock belongs to the open file description, not to the process: two descriptors
 * opened separately conflict even inside one process (so threads of one JVM exclude each other),
 * and the lock goes away when the last descriptor for that description is closed, or the
 * process ends. A child that gets a copy of the descriptor (fork, clone, posix_spawn) holds the
 * lock with it until it closes the copy; Canal's descriptors are close-on-exec, so a child
 * keeps it only until it runs its program. fcntl(2) record locks (what Java's FileChannel.lock
 * uses) are the other kind: owned by the process, dropped on any close of the file, and not
 * available on a directory.
 */
public final class FileLocks {

    // <sys/file.h>; flock is not in the generated bindings.
    private static final int LOCK_SH = 1;
    private static final int LOCK_EX = 2;
    private static final int LOCK_UN = 8;

    private FileLocks() {}

    /**
     * Waits until {@code file} is locked, shared or exclusive; a signal's interruption (EINTR) is
     * retried. Closing the descriptor releases the lock.
     */
    public static void lock(OwnedFd file, boolean exclusive, String subject) {
        flock(file, exclusive ? LOCK_EX : LOCK_SH, subject);
    }

    /**
     * Releases the lock held through {@code file}'s open file description, also for every copy
     * of the descriptor a child still has (which closing ours alone would not).
     */
    public static void unlock(OwnedFd file, String subject) {
        flock(file, LOCK_UN, subject);
    }

    private static void flock(OwnedFd file, int operation, String subject) {
        Syscall.checked(
                Syscall.attemptRetryingInterrupted(SyscallNumbers.FLOCK, file.fd(), operation), "flock", subject);
    }
}
