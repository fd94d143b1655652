package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import dev.canal.bindings.linux.posix_spawn_file_actions_t;
import dev.canal.bindings.linux.posix_spawnattr_t;
import dev.canal.bindings.linux.sigset_t;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * posix_spawn(3): create a process and run a program in it, with a list of file actions the
 * child performs between its creation and execve(2).
 *
 * <p>glibc creates the child with {@code clone(CLONE_VM | CLONE_VFORK)} and runs the file actions
 * in C on a small stack of its own, so no Java code ever runs in the child: the hazard of forking
 * a JVM (a child that stops at a safepoint no VM thread will ever end) does not arise. The
 * calling thread is suspended until the child has called execve(2) or died, which is also what
 * lets Canal hold a container's first process before exec: a file action that opens a FIFO
 * blocks until someone opens the other end.
 *
 * <p>Never link {@code posix_spawn} as a {@code critical} downcall: the calling thread would stay
 * "in Java" while it waits, and the whole JVM would wedge at the next safepoint.
 *
 * <p>The file actions run in the order they were added. The return value of each glibc call
 * here is an error number, not -1 with errno.
 *
 * <p>libc, not syscall(2) ({@link Syscall}): the spawn, its file actions and attributes are glibc's
 * own code and structures, not one system call each.
 */
public final class PosixSpawn implements AutoCloseable {

    static {
        // Loaded and linked now, not when first needed: by the time posix_spawn returns, the
        // calling thread's root may have been moved into a container (pivot_root(2) moves every
        // task whose root was the namespace's old root), where the class path does not exist.
        // What runs after it (destroying the file actions, reporting an exec error) must need
        // no class that is not loaded yet.
        linux_h.posix_spawn_file_actions_destroy$handle();
        linux_h.posix_spawnattr_destroy$handle();
        Errno.failure("posix_spawn", "", 0).getClass();
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment fileActions = arena.allocate(posix_spawn_file_actions_t.layout());
    private final MemorySegment attributes = arena.allocate(posix_spawnattr_t.layout());
    private short flags;

    public PosixSpawn() {
        check(linux_h.posix_spawn_file_actions_init(fileActions), "posix_spawn_file_actions_init", "");
        check(linux_h.posix_spawnattr_init(attributes), "posix_spawnattr_init", "");
    }

    /** In the child, make {@code to} a copy of {@code from} (dup2(2)); {@code to} is not close-on-exec. */
    public PosixSpawn dup2(int from, int to) {
        check(
                linux_h.posix_spawn_file_actions_adddup2(fileActions, from, to),
                "posix_spawn_file_actions_adddup2",
                from + " -> " + to);
        return this;
    }

    /** In the child, change directory to {@code directory} (fchdir(2)), for example to reach a host file. */
    public PosixSpawn fchdir(OwnedFd directory) {
        check(
                linux_h.posix_spawn_file_actions_addfchdir_np(fileActions, directory.fd()),
                "posix_spawn_file_actions_addfchdir_np",
                directory.toString());
        return this;
    }

    /** In the child, close every descriptor from {@code lowest} up: nothing of the JVM's leaks. */
    public PosixSpawn closeFrom(int lowest) {
        check(
                linux_h.posix_spawn_file_actions_addclosefrom_np(fileActions, lowest),
                "posix_spawn_file_actions_addclosefrom_np",
                "from " + lowest);
        return this;
    }

    /** In the child, open {@code path} as descriptor {@code fd}; a blocking open holds the child here. */
    public PosixSpawn open(int fd, String path, int openFlags, int mode) {
        check(
                linux_h.posix_spawn_file_actions_addopen(
                        fileActions, fd, CStrings.allocate(arena, path), openFlags, mode),
                "posix_spawn_file_actions_addopen",
                path);
        return this;
    }

    /** In the child, change directory to {@code path}, resolved against the child's root. */
    public PosixSpawn chdir(String path) {
        check(
                linux_h.posix_spawn_file_actions_addchdir_np(fileActions, CStrings.allocate(arena, path)),
                "posix_spawn_file_actions_addchdir_np",
                path);
        return this;
    }

    /** The child starts a new session (setsid(2)): no controlling terminal, its own process group. */
    public PosixSpawn newSession() {
        flags |= (short) linux_h.POSIX_SPAWN_SETSID();
        return this;
    }

    /**
     * The child gets every signal's default disposition and an empty signal mask, whatever the
     * JVM had: the JVM blocks and handles signals for its own purposes.
     */
    public PosixSpawn defaultSignals() {
        MemorySegment all = arena.allocate(sigset_t.layout());
        MemorySegment none = arena.allocate(sigset_t.layout());
        linux_h.sigfillset(all);
        linux_h.sigemptyset(none);
        check(linux_h.posix_spawnattr_setsigdefault(attributes, all), "posix_spawnattr_setsigdefault", "");
        check(linux_h.posix_spawnattr_setsigmask(attributes, none), "posix_spawnattr_setsigmask", "");
        flags |= (short) (linux_h.POSIX_SPAWN_SETSIGDEF() | linux_h.POSIX_SPAWN_SETSIGMASK());
        return this;
    }

    /**
     * Creates the child and returns its pid once it has called execve(2). Blocks for as long as
     * a file action blocks. A failing file action or exec is reported as an error, but a child
     * killed while blocked still yields its pid: the caller must always reap it.
     */
    public int spawn(String path, List<String> argv, List<String> envp) {
        check(linux_h.posix_spawnattr_setflags(attributes, flags), "posix_spawnattr_setflags", "");
        try (var call = Arena.ofConfined()) {
            MemorySegment pid = call.allocate(ValueLayout.JAVA_INT);
            int error = linux_h.posix_spawn(
                    pid,
                    CStrings.allocate(call, path),
                    fileActions,
                    attributes,
                    CStrings.allocateArray(call, argv),
                    CStrings.allocateArray(call, envp));
            check(error, "posix_spawn", path);
            return pid.get(ValueLayout.JAVA_INT, 0);
        }
    }

    private static void check(int error, String call, String subject) {
        if (error != 0) {
            throw Errno.failure(call, subject, error);
        }
    }

    @Override
    public void close() {
        linux_h.posix_spawn_file_actions_destroy(fileActions);
        linux_h.posix_spawnattr_destroy(attributes);
        arena.close();
    }
}
