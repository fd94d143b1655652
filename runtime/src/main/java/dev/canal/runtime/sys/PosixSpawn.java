package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
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

    // Every glibc function used here, looked up with the class, not when first needed: by the
    // time posix_spawn returns, the calling thread's root may have been moved into a container
    // (pivot_root(2) moves every task whose root was the namespace's old root), where the class
    // path does not exist. What runs after it (destroying the file actions, reporting an exec
    // error) must need no class that is not loaded yet, hence also the failure made below.
    private static final MemorySegment SPAWN = Downcall.function("posix_spawn");
    private static final MemorySegment ACTIONS_INIT = Downcall.function("posix_spawn_file_actions_init");
    private static final MemorySegment ACTIONS_DESTROY = Downcall.function("posix_spawn_file_actions_destroy");
    private static final MemorySegment ADD_DUP2 = Downcall.function("posix_spawn_file_actions_adddup2");
    private static final MemorySegment ADD_FCHDIR = Downcall.function("posix_spawn_file_actions_addfchdir_np");
    private static final MemorySegment ADD_CLOSEFROM = Downcall.function("posix_spawn_file_actions_addclosefrom_np");
    private static final MemorySegment ADD_OPEN = Downcall.function("posix_spawn_file_actions_addopen");
    private static final MemorySegment ADD_CHDIR = Downcall.function("posix_spawn_file_actions_addchdir_np");
    private static final MemorySegment ATTR_INIT = Downcall.function("posix_spawnattr_init");
    private static final MemorySegment ATTR_DESTROY = Downcall.function("posix_spawnattr_destroy");
    private static final MemorySegment SET_FLAGS = Downcall.function("posix_spawnattr_setflags");
    private static final MemorySegment SET_SIGDEFAULT = Downcall.function("posix_spawnattr_setsigdefault");
    private static final MemorySegment SET_SIGMASK = Downcall.function("posix_spawnattr_setsigmask");
    private static final MemorySegment SIGFILLSET = Downcall.function("sigfillset");
    private static final MemorySegment SIGEMPTYSET = Downcall.function("sigemptyset");

    static {
        Errno.failure("posix_spawn", "", 0).getClass();
    }

    // glibc's structs are opaque here, allocated by their size and alignment as x86-64's glibc
    // declares them (checked against jextract's declarations by WrittenOutLayoutsTest), not by
    // jextract's struct classes: those make a VarHandle for each padding array when initialised,
    // about 25 method handle classes spun at run time in every JVM (docs/start-time.md).
    static final long FILE_ACTIONS_SIZE = 80;
    static final long ATTRIBUTES_SIZE = 336;
    static final long SIGSET_SIZE = 128;
    static final long STRUCT_ALIGNMENT = 8;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment fileActions = arena.allocate(FILE_ACTIONS_SIZE, STRUCT_ALIGNMENT);
    private final MemorySegment attributes = arena.allocate(ATTRIBUTES_SIZE, STRUCT_ALIGNMENT);
    private short flags;

    public PosixSpawn() {
        check(call(ACTIONS_INIT, fileActions.address()), "posix_spawn_file_actions_init", "");
        check(call(ATTR_INIT, attributes.address()), "posix_spawnattr_init", "");
    }

    /** In the child, make {@code to} a copy of {@code from} (dup2(2)); {@code to} is not close-on-exec. */
    public PosixSpawn dup2(int from, int to) {
        check(call(ADD_DUP2, fileActions.address(), from, to), "posix_spawn_file_actions_adddup2", from + " -> " + to);
        return this;
    }

    /** In the child, change directory to {@code directory} (fchdir(2)), for example to reach a host file. */
    public PosixSpawn fchdir(OwnedFd directory) {
        check(
                call(ADD_FCHDIR, fileActions.address(), directory.fd()),
                "posix_spawn_file_actions_addfchdir_np",
                directory.toString());
        return this;
    }

    /** In the child, close every descriptor from {@code lowest} up: nothing of the JVM's leaks. */
    public PosixSpawn closeFrom(int lowest) {
        check(
                call(ADD_CLOSEFROM, fileActions.address(), lowest),
                "posix_spawn_file_actions_addclosefrom_np",
                "from " + lowest);
        return this;
    }

    /** In the child, open {@code path} as descriptor {@code fd}; a blocking open holds the child here. */
    public PosixSpawn open(int fd, String path, int openFlags, int mode) {
        check(
                call(
                        ADD_OPEN,
                        fileActions.address(),
                        fd,
                        CStrings.allocate(arena, path).address(),
                        openFlags,
                        mode),
                "posix_spawn_file_actions_addopen",
                path);
        return this;
    }

    /** In the child, change directory to {@code path}, resolved against the child's root. */
    public PosixSpawn chdir(String path) {
        check(
                call(
                        ADD_CHDIR,
                        fileActions.address(),
                        CStrings.allocate(arena, path).address()),
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
        MemorySegment all = arena.allocate(SIGSET_SIZE, STRUCT_ALIGNMENT);
        MemorySegment none = arena.allocate(SIGSET_SIZE, STRUCT_ALIGNMENT);
        // They fail only for a signal number out of range, which these do not take.
        call(SIGFILLSET, all.address());
        call(SIGEMPTYSET, none.address());
        check(call(SET_SIGDEFAULT, attributes.address(), all.address()), "posix_spawnattr_setsigdefault", "");
        check(call(SET_SIGMASK, attributes.address(), none.address()), "posix_spawnattr_setsigmask", "");
        flags |= (short) (linux_h.POSIX_SPAWN_SETSIGDEF() | linux_h.POSIX_SPAWN_SETSIGMASK());
        return this;
    }

    /**
     * Creates the child and returns its pid once it has called execve(2). Blocks for as long as
     * a file action blocks. A failing file action or exec is reported as an error, but a child
     * killed while blocked still yields its pid: the caller must always reap it.
     */
    public int spawn(String path, List<String> argv, List<String> envp) {
        check(call(SET_FLAGS, attributes.address(), flags), "posix_spawnattr_setflags", "");
        try (var callArena = Arena.ofConfined()) {
            MemorySegment pid = callArena.allocate(ValueLayout.JAVA_INT);
            int error = call(
                    SPAWN,
                    pid.address(),
                    CStrings.allocate(callArena, path).address(),
                    fileActions.address(),
                    attributes.address(),
                    CStrings.allocateArray(callArena, argv).address(),
                    CStrings.allocateArray(callArena, envp).address());
            check(error, "posix_spawn", path);
            return pid.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** Calls one of the functions above; each returns an {@code int}, 0 when it succeeded. */
    private static int call(MemorySegment function, long... args) {
        return (int) Downcall.callIgnoringErrno(function, args);
    }

    private static void check(int error, String call, String subject) {
        if (error != 0) {
            throw Errno.failure(call, subject, error);
        }
    }

    @Override
    public void close() {
        call(ACTIONS_DESTROY, fileActions.address());
        call(ATTR_DESTROY, attributes.address());
        arena.close();
    }
}
