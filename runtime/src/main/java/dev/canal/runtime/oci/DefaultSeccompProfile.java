package dev.canal.runtime.oci;

import dev.canal.bindings.linux.linux_h;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seccomp profile of {@code canal-oci spec} and {@code canal run}: an allow list. Every
 * system call not named here fails with EPERM, as under Docker's default profile, whose intent
 * this follows: let ordinary programs run, and refuse what reaches beyond the container into
 * the host's kernel or what exists only for its administrator. docs/seccomp.md explains each
 * blocked group; in short, not listed are
 *
 * <ul>
 *   <li>kernel modules and replacing the kernel: init_module, finit_module, delete_module,
 *       kexec_load, kexec_file_load, reboot;</li>
 *   <li>changing the mount table: mount, umount2, pivot_root, chroot, the new mount API
 *       (fsopen, fsmount, move_mount, open_tree, ...);</li>
 *   <li>kernel facilities that are not namespaced or that widen the kernel's attack surface:
 *       bpf, perf_event_open, userfaultfd, io_uring_*, keyctl, add_key, request_key, syslog,
 *       lookup_dcookie, fanotify_init;</li>
 *   <li>host-wide settings: settimeofday, clock_settime, stime, swapon, swapoff, acct,
 *       quotactl, sethostname, setdomainname (the container's own UTS name is set by the
 *       runtime), iopl, ioperm, mbind and set_mempolicy;</li>
 *   <li>open_by_handle_at, which opens any file of a filesystem by its handle, outside the
 *       container's root (the 2014 "shocker" escape);</li>
 *   <li>setns, and clone or unshare with a CLONE_NEW* flag: new namespaces are the runtime's
 *       business;</li>
 *   <li>kcmp, pidfd_getfd, process_madvise: Docker grants them with CAP_SYS_PTRACE only;</li>
 *   <li>of the calls newer than Linux 6.1: statmount, listmount and open_tree_attr (the mount
 *       table again), listns (namespaces), lsm_get_self_attr, lsm_set_self_attr and
 *       lsm_list_modules (the host's security modules' view of the process), uretprobe and
 *       uprobe (only the kernel's uprobe trampolines call them). The other new calls are newer
 *       forms of allowed ones (fchmodat2, the futex2 calls, *xattrat, file_getattr/setattr,
 *       cachestat, rseq_slice_yield) or tighten a program's own memory (mseal, map_shadow_stack).</li>
 * </ul>
 *
 * ptrace and process_vm_readv/writev stay allowed, as in Docker on kernels since 4.8, which run
 * seccomp again after a tracer changed a call, so tracing cannot bypass the filter. clone3 gets
 * ENOSYS: its flags sit in memory a filter cannot read, and glibc falls back to clone, whose
 * flags it can.
 *
 * <p>The profile is the same for every container: Docker widens it with the capabilities a
 * container is given (CAP_SYS_ADMIN allows mount, ...); the default spec grants none of those.
 */
public final class DefaultSeccompProfile {

    /** AF_VSOCK (linux/socket.h): sockets to the hypervisor and other VMs, outside the network namespace. */
    private static final long AF_VSOCK = 40;
    /** UNAME26 (linux/personality.h): report a 2.6.40+ version to programs that want "2.6". */
    private static final long UNAME26 = 0x0020000;
    /** personality(0xffffffff) only reads the current persona. */
    private static final long QUERY_PERSONALITY = 0xffff_ffffL;

    private static final List<String> ALLOWED = List.of(
            // Files, directories and their attributes.
            "access",
            "faccessat",
            "faccessat2",
            "chdir",
            "fchdir",
            "getcwd",
            "chmod",
            "fchmod",
            "fchmodat",
            "fchmodat2",
            "chown",
            "chown32",
            "fchown",
            "fchown32",
            "fchownat",
            "lchown",
            "lchown32",
            "creat",
            "open",
            "openat",
            "openat2",
            "close",
            "close_range",
            "mkdir",
            "mkdirat",
            "mknod",
            "mknodat",
            "rmdir",
            "rename",
            "renameat",
            "renameat2",
            "link",
            "linkat",
            "symlink",
            "symlinkat",
            "unlink",
            "unlinkat",
            "readlink",
            "readlinkat",
            "stat",
            "stat64",
            "lstat",
            "lstat64",
            "fstat",
            "fstat64",
            "fstatat64",
            "newfstatat",
            "statx",
            "statfs",
            "statfs64",
            "fstatfs",
            "fstatfs64",
            "truncate",
            "truncate64",
            "ftruncate",
            "ftruncate64",
            "fallocate",
            "umask",
            "utime",
            "utimes",
            "utimensat",
            "utimensat_time64",
            "futimesat",
            "getdents",
            "getdents64",
            "readdir",
            "name_to_handle_at",
            "flock",
            "fcntl",
            "fcntl64",
            "fsync",
            "fdatasync",
            "sync",
            "syncfs",
            "sync_file_range",
            "fadvise64",
            "fadvise64_64",
            "readahead",
            "cachestat",
            "getxattr",
            "lgetxattr",
            "fgetxattr",
            "setxattr",
            "lsetxattr",
            "fsetxattr",
            "listxattr",
            "llistxattr",
            "flistxattr",
            "removexattr",
            "lremovexattr",
            "fremovexattr",
            "getxattrat",
            "setxattrat",
            "listxattrat",
            "removexattrat",
            "file_getattr",
            "file_setattr",
            // Reading and writing.
            "read",
            "readv",
            "pread64",
            "preadv",
            "preadv2",
            "write",
            "writev",
            "pwrite64",
            "pwritev",
            "pwritev2",
            "lseek",
            "_llseek",
            "sendfile",
            "sendfile64",
            "splice",
            "tee",
            "vmsplice",
            "copy_file_range",
            "dup",
            "dup2",
            "dup3",
            "pipe",
            "pipe2",
            "ioctl",
            // Waiting for events.
            "select",
            "_newselect",
            "pselect6",
            "pselect6_time64",
            "poll",
            "ppoll",
            "ppoll_time64",
            "epoll_create",
            "epoll_create1",
            "epoll_ctl",
            "epoll_ctl_old",
            "epoll_wait",
            "epoll_wait_old",
            "epoll_pwait",
            "epoll_pwait2",
            "eventfd",
            "eventfd2",
            "signalfd",
            "signalfd4",
            "timerfd_create",
            "timerfd_settime",
            "timerfd_settime64",
            "timerfd_gettime",
            "timerfd_gettime64",
            "inotify_init",
            "inotify_init1",
            "inotify_add_watch",
            "inotify_rm_watch",
            "fanotify_mark",
            "io_setup",
            "io_destroy",
            "io_submit",
            "io_cancel",
            "io_getevents",
            "io_pgetevents",
            "io_pgetevents_time64",
            // Memory.
            "brk",
            "mmap",
            "mmap2",
            "munmap",
            "mremap",
            "mprotect",
            "madvise",
            "mincore",
            "msync",
            "mlock",
            "mlock2",
            "munlock",
            "mlockall",
            "munlockall",
            "membarrier",
            "memfd_create",
            "memfd_secret",
            "remap_file_pages",
            "pkey_alloc",
            "pkey_free",
            "pkey_mprotect",
            "map_shadow_stack",
            "mseal",
            // Processes, threads and signals (clone, personality: below, with conditions).
            "fork",
            "vfork",
            "execve",
            "execveat",
            "exit",
            "exit_group",
            "wait4",
            "waitid",
            "waitpid",
            "kill",
            "tkill",
            "tgkill",
            "pidfd_open",
            "pidfd_send_signal",
            "process_mrelease",
            "ptrace",
            "process_vm_readv",
            "process_vm_writev",
            "rt_sigaction",
            "rt_sigpending",
            "rt_sigprocmask",
            "rt_sigqueueinfo",
            "rt_sigreturn",
            "rt_sigsuspend",
            "rt_sigtimedwait",
            "rt_sigtimedwait_time64",
            "rt_tgsigqueueinfo",
            "sigaction",
            "sigaltstack",
            "signal",
            "sigpending",
            "sigprocmask",
            "sigreturn",
            "sigsuspend",
            "pause",
            "restart_syscall",
            "set_tid_address",
            "set_robust_list",
            "get_robust_list",
            "futex",
            "futex_time64",
            "futex_waitv",
            "futex_wake",
            "futex_wait",
            "futex_requeue",
            "rseq",
            "rseq_slice_yield",
            "arch_prctl",
            "modify_ldt",
            "get_thread_area",
            "set_thread_area",
            "prctl",
            "seccomp",
            "capget",
            "capset",
            "landlock_create_ruleset",
            "landlock_add_rule",
            "landlock_restrict_self",
            // Identity.
            "getpid",
            "getppid",
            "gettid",
            "getpgid",
            "setpgid",
            "getpgrp",
            "getsid",
            "setsid",
            "getuid",
            "getuid32",
            "geteuid",
            "geteuid32",
            "getgid",
            "getgid32",
            "getegid",
            "getegid32",
            "getresuid",
            "getresuid32",
            "getresgid",
            "getresgid32",
            "getgroups",
            "getgroups32",
            "setuid",
            "setuid32",
            "setgid",
            "setgid32",
            "setreuid",
            "setreuid32",
            "setregid",
            "setregid32",
            "setresuid",
            "setresuid32",
            "setresgid",
            "setresgid32",
            "setfsuid",
            "setfsuid32",
            "setfsgid",
            "setfsgid32",
            "setgroups",
            "setgroups32",
            // Scheduling and limits.
            "sched_yield",
            "sched_getaffinity",
            "sched_setaffinity",
            "sched_getattr",
            "sched_setattr",
            "sched_getparam",
            "sched_setparam",
            "sched_getscheduler",
            "sched_setscheduler",
            "sched_get_priority_max",
            "sched_get_priority_min",
            "sched_rr_get_interval",
            "sched_rr_get_interval_time64",
            "getpriority",
            "setpriority",
            "ioprio_get",
            "ioprio_set",
            "getrlimit",
            "setrlimit",
            "ugetrlimit",
            "prlimit64",
            "getrusage",
            "times",
            "getcpu",
            // Reading clocks and timers (setting the clock is not allowed; adjtimex only reads without CAP_SYS_TIME).
            "time",
            "gettimeofday",
            "clock_gettime",
            "clock_gettime64",
            "clock_getres",
            "clock_getres_time64",
            "clock_nanosleep",
            "clock_nanosleep_time64",
            "nanosleep",
            "adjtimex",
            "clock_adjtime",
            "clock_adjtime64",
            "alarm",
            "getitimer",
            "setitimer",
            "timer_create",
            "timer_delete",
            "timer_getoverrun",
            "timer_gettime",
            "timer_gettime64",
            "timer_settime",
            "timer_settime64",
            // System V and POSIX IPC (namespaced by the ipc namespace).
            "ipc",
            "msgctl",
            "msgget",
            "msgrcv",
            "msgsnd",
            "semctl",
            "semget",
            "semop",
            "semtimedop",
            "semtimedop_time64",
            "shmat",
            "shmctl",
            "shmdt",
            "shmget",
            "mq_open",
            "mq_unlink",
            "mq_timedsend",
            "mq_timedsend_time64",
            "mq_timedreceive",
            "mq_timedreceive_time64",
            "mq_notify",
            "mq_getsetattr",
            // Sockets (socket itself: below, with a condition).
            "socketcall",
            "socketpair",
            "bind",
            "listen",
            "accept",
            "accept4",
            "connect",
            "getsockname",
            "getpeername",
            "getsockopt",
            "setsockopt",
            "sendto",
            "sendmsg",
            "sendmmsg",
            "recvfrom",
            "recvmsg",
            "recvmmsg",
            "recvmmsg_time64",
            "shutdown",
            // The rest of a normal program's needs.
            "uname",
            "olduname",
            "oldolduname",
            "sysinfo",
            "getrandom");

    private DefaultSeccompProfile() {}

    public static Seccomp create() {
        List<Seccomp.Syscall> rules = new ArrayList<>();
        rules.add(rule(ALLOWED, "SCMP_ACT_ALLOW", null));
        // A new namespace is the runtime's to make: clone and unshare only without CLONE_NEW*
        // (the flags are clone's first argument on x86; unshare's only one).
        long newNamespaces = linux_h.CLONE_NEWNS()
                | linux_h.CLONE_NEWUTS()
                | linux_h.CLONE_NEWIPC()
                | linux_h.CLONE_NEWUSER()
                | linux_h.CLONE_NEWPID()
                | linux_h.CLONE_NEWNET()
                | linux_h.CLONE_NEWCGROUP();
        rules.add(rule(List.of("clone"), "SCMP_ACT_ALLOW", null, masked(newNamespaces, 0)));
        rules.add(rule(List.of("unshare"), "SCMP_ACT_ALLOW", null, masked(newNamespaces | linux_h.CLONE_NEWTIME(), 0)));
        // clone3 passes its flags in a struct the filter cannot read; ENOSYS makes glibc use clone.
        rules.add(rule(List.of("clone3"), "SCMP_ACT_ERRNO", (long) linux_h.ENOSYS()));
        // Other personalities change how the kernel runs the program (READ_IMPLIES_EXEC,
        // ADDR_NO_RANDOMIZE weaken exploit defences); allow Linux, 32-bit Linux, UNAME26, and the query.
        for (long persona : List.of(
                (long) linux_h.PER_LINUX(),
                (long) linux_h.PER_LINUX32(),
                UNAME26,
                UNAME26 | linux_h.PER_LINUX32(),
                QUERY_PERSONALITY)) {
            rules.add(rule(List.of("personality"), "SCMP_ACT_ALLOW", null, arg(0, persona, null, "SCMP_CMP_EQ")));
        }
        // vsock reaches the hypervisor and other VMs, which the network namespace does not isolate.
        rules.add(rule(List.of("socket"), "SCMP_ACT_ALLOW", null, arg(0, AF_VSOCK, null, "SCMP_CMP_NE")));
        return new Seccomp(
                "SCMP_ACT_ERRNO",
                (long) linux_h.EPERM(),
                List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
                List.of(),
                null,
                null,
                rules,
                Map.of());
    }

    private static Seccomp.Syscall rule(List<String> names, String action, Long errnoRet, Seccomp.Arg... args) {
        return new Seccomp.Syscall(names, action, errnoRet, List.of(args), Map.of());
    }

    private static Seccomp.Arg masked(long mask, long value) {
        return arg(0, mask, value, "SCMP_CMP_MASKED_EQ");
    }

    private static Seccomp.Arg arg(int index, long value, Long valueTwo, String op) {
        return new Seccomp.Arg(index, value, valueTwo, op, Map.of());
    }
}
