package dev.canal.runtime.sys;

/**
 * The numbers of the system calls {@link Syscall} makes that the generated bindings do not list
 * as {@code linux_h.SYS_*()}: x86-64's, from {@code <asm/unistd_64.h>}, the platform the bindings
 * are generated and checked for. jextract is not part of the build, so they are written here;
 * {@code SyscallNumbersTest} compares each with the C compiler's {@code SYS_*} of the same name.
 * Compile-time constants, so no class is loaded to use one (the spawning thread may have pivoted).
 */
public final class SyscallNumbers {

    public static final long FSTAT = 5;
    public static final long SOCKET = 41;
    public static final long CONNECT = 42;
    public static final long SENDMSG = 46;
    public static final long RECVMSG = 47;
    public static final long BIND = 49;
    public static final long SETSOCKOPT = 54;
    public static final long WAIT4 = 61;
    public static final long FCNTL = 72;
    public static final long FLOCK = 73;
    public static final long CHMOD = 90;
    public static final long GETEUID = 107;
    public static final long CHROOT = 161;
    public static final long LSETXATTR = 189;
    public static final long LGETXATTR = 192;
    public static final long MKDIRAT = 258;
    public static final long MKNODAT = 259;
    public static final long FCHOWNAT = 260;
    public static final long UNLINKAT = 263;
    public static final long LINKAT = 265;
    public static final long SYMLINKAT = 266;
    public static final long FCHMODAT = 268;
    public static final long UTIMENSAT = 280;
    public static final long PIPE2 = 293;

    private SyscallNumbers() {}
}
