// A container in about a hundred lines of Java: new namespaces, a private root, pivot_root and a
// first process that is pid 1 of its own pid namespace. No JNI and no generated bindings: the few C
// functions it calls are declared here with the Foreign Function & Memory API. As root, JDK 22+:
//
//   java --enable-native-access=ALL-UNNAMED MiniContainer.java ROOTFS sh
//
// ROOTFS is a root filesystem with /bin/sh and mount, such as a static busybox's (docs/README.md
// makes one). Each step names its man page and the Canal class that does it for real, with the care
// this sketch leaves out (docs/create-and-start.md).
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public class MiniContainer {
    // From <sched.h>, <sys/mount.h>, <errno.h> and x86_64's <asm/unistd_64.h>.
    static final int CLONE_FS = 0x200, CLONE_NEWNS = 0x20000, CLONE_NEWUTS = 0x4000000, CLONE_NEWIPC = 0x8000000;
    static final int CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000, MNT_DETACH = 2, EINTR = 4;
    static final long MS_BIND = 0x1000, MS_REC = 0x4000, MS_PRIVATE = 0x40000, SYS_pivot_root = 155;
    static final MemorySegment NULL = MemorySegment.NULL;

    // errno is copied out as the call returns, before the JVM can run code that changes it.
    // Canal: Downcall (runtime/src/main/java/dev/canal/runtime/sys/Downcall.java)
    static final Linker LINKER = Linker.nativeLinker();
    static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    static final long ERRNO_AT =
            Linker.Option.captureStateLayout().byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    static final MethodHandle UNSHARE = libc("unshare", FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO);
    static final MethodHandle MOUNT =
            libc("mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS), ERRNO);
    static final MethodHandle SETHOSTNAME =
            libc("sethostname", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), ERRNO);
    static final MethodHandle CHDIR = libc("chdir", FunctionDescriptor.of(JAVA_INT, ADDRESS), ERRNO);
    static final MethodHandle UMOUNT2 = libc("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), ERRNO);
    // syscall(2): glibc has no pivot_root(), so it is called by number; the arguments after the
    // number are variadic, which the linker must know.
    static final MethodHandle SYSCALL = libc("syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS),
            ERRNO, Linker.Option.firstVariadicArg(1));
    // posix_spawn(3) returns an error number rather than setting errno.
    static final MethodHandle POSIX_SPAWN =
            libc("posix_spawn", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle WAITPID =
            libc("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), ERRNO);
    static final MethodHandle STRERROR = libc("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    public static void main(String[] args) throws Throwable {
        if (args.length < 2 || !Files.isDirectory(Path.of(args[0]))) {
            System.err.println("usage, as root: java --enable-native-access=ALL-UNNAMED MiniContainer.java"
                    + " ROOTFS PROGRAM [ARG...]");
            System.exit(2);
        }
        // Namespaces, root and working directory belong to a kernel task, and a platform thread is
        // one (a virtual thread hops between carriers): this thread moves, the rest of the JVM stays.
        // Canal: ThreadEngine.spawn (runtime/src/main/java/dev/canal/runtime/spawn/ThreadEngine.java)
        String rootfs = Path.of(args[0]).toRealPath().toString();
        int[] pid = {0};
        Thread.ofPlatform().start(() -> pid[0] = create(rootfs, List.of(args).subList(1, args.length))).join();
        System.exit(pid[0] > 0 ? waitForExit(pid[0]) : 1);
    }

    static int create(String rootfs, List<String> program) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Linker.Option.captureStateLayout());
            // unshare(2): new mount, pid, uts, ipc and network namespaces for this thread alone; the
            // thread's next child is pid 1 of the new pid namespace. CLONE_NEWNS implies CLONE_FS
            // (a root and working directory of its own), named here to show it.
            // Canal: ThreadEngine.enterNamespaces (runtime/src/main/java/dev/canal/runtime/spawn/ThreadEngine.java)
            int flags = CLONE_FS | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET;
            check("unshare", (int) UNSHARE.invokeExact(errno, flags), errno);
            // mount_namespaces(7): the copied mounts still propagate to the host's; make them all
            // private, so nothing mounted from here on appears on the host.
            // Canal: RootfsBuilder.isolateFromHost (runtime/src/main/java/dev/canal/runtime/rootfs/RootfsBuilder.java)
            MemorySegment slash = arena.allocateFrom("/");
            check("mount /", (int) MOUNT.invokeExact(errno, NULL, slash, NULL, MS_REC | MS_PRIVATE, NULL), errno);
            // mount(2), MS_BIND: pivot_root needs the new root to be a mount point: bind it on itself.
            // Canal: RootfsBuilder.build (runtime/src/main/java/dev/canal/runtime/rootfs/RootfsBuilder.java)
            MemorySegment root = arena.allocateFrom(rootfs), dot = arena.allocateFrom(".");
            check("mount " + rootfs, (int) MOUNT.invokeExact(errno, root, root, NULL, MS_BIND | MS_REC, NULL), errno);
            // sethostname(2), seen only in the new uts namespace.
            // Canal: UtsNames.setHostname (runtime/src/main/java/dev/canal/runtime/sys/UtsNames.java)
            check("sethostname", (int) SETHOSTNAME.invokeExact(errno, arena.allocateFrom("mini"), 4L), errno);
            // pivot_root(2) with "." twice stacks the old root on the new one; umount2(2) detaches
            // it, and the host's files are out of reach (chroot(2) alone can be escaped).
            // Canal: RootfsBuilder.pivotRoot (runtime/src/main/java/dev/canal/runtime/rootfs/RootfsBuilder.java)
            check("chdir " + rootfs, (int) CHDIR.invokeExact(errno, root), errno);
            check("pivot_root", (int) (long) SYSCALL.invokeExact(errno, SYS_pivot_root, dot, dot), errno);
            check("umount2", (int) UMOUNT2.invokeExact(errno, dot, MNT_DETACH), errno);
            check("chdir /", (int) CHDIR.invokeExact(errno, slash), errno);
            // /proc: procfs shows the pid namespace of the task that mounts it, and this thread is
            // not in the new one, only its children will be. So pid 1 mounts /proc, then runs the
            // program. Canal holds its first process before exec and mounts /proc from outside with
            // procfs's pidns parameter (Linux 6.18); on older kernels its clone engine's child does.
            // Canal: ProcMount.mount (runtime/src/main/java/dev/canal/runtime/rootfs/ProcMount.java)
            var argv = new ArrayList<>(List.of("/bin/sh", "-c", "mount -t proc proc /proc && exec \"$@\"", "sh"));
            argv.addAll(program);
            List<String> env = List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "TERM=xterm");
            // posix_spawn(3): glibc clones with CLONE_VM | CLONE_VFORK and no Java runs in the child,
            // born in this thread's namespaces and root; it execs the rootfs's /bin/sh.
            // Canal: PosixSpawn.spawn (runtime/src/main/java/dev/canal/runtime/sys/PosixSpawn.java)
            MemorySegment pid = arena.allocate(JAVA_INT);
            int error = (int) POSIX_SPAWN.invokeExact(
                    pid, arena.allocateFrom("/bin/sh"), NULL, NULL, strings(arena, argv), strings(arena, env));
            errno.set(JAVA_INT, ERRNO_AT, error);
            check("posix_spawn /bin/sh", error == 0 ? 0 : -1, errno);
            return pid.get(JAVA_INT, 0);
        } catch (Throwable failure) {
            System.err.println("MiniContainer: " + failure.getMessage());
            return 0;
        }
    }

    // waitpid(2) until the child ends: its status as a shell shows it (128 + N for signal N).
    // Canal: Processes.waitForExit (runtime/src/main/java/dev/canal/runtime/sys/Processes.java)
    static int waitForExit(int pid) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Linker.Option.captureStateLayout());
            MemorySegment status = arena.allocate(JAVA_INT);
            int result;
            do {
                result = (int) WAITPID.invokeExact(errno, pid, status, 0);
            } while (result < 0 && errno.get(JAVA_INT, ERRNO_AT) == EINTR);
            check("waitpid", result, errno);
            int wait = status.get(JAVA_INT, 0);
            return (wait & 0x7f) == 0 ? (wait >> 8) & 0xff : 128 + (wait & 0x7f);
        }
    }

    static void check(String call, int result, MemorySegment errno) throws Throwable {
        if (result < 0) {
            var text = (MemorySegment) STRERROR.invokeExact(errno.get(JAVA_INT, ERRNO_AT));
            throw new IllegalStateException(call + ": " + text.reinterpret(256).getString(0));
        }
    }

    // argv and envp: arrays of C strings ending in NULL (execve(2)).
    static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), NULL);
        return array;
    }

    static MethodHandle libc(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor, options);
    }
}
