package dev.canal.runtime.seccomp;

import dev.canal.runtime.oci.Seccomp;
import dev.canal.runtime.oci.Spec;

/** Seccomp sections for tests, written as config.json text and read the way a bundle is. */
final class Profiles {

    private Profiles() {}

    /** The {@code linux.seccomp} object {@code json}. */
    static Seccomp parse(String json) {
        return Spec.parse("{\"ociVersion\": \"1.2.1\", \"linux\": {\"seccomp\": " + json + "}}")
                .linux()
                .seccomp();
    }

    /**
     * A profile as Docker and podman write them: one list for every architecture that also names
     * calls newer than Canal's kernel headers (Linux 6.1). With {@code foreignNames}, it also names
     * calls x86 lacks: send and recv (arm, ...), arm_fadvise64_64, pciconfig_iobase and
     * pciconfig_read (arm, powerpc), s390_runtime_instr (s390).
     */
    static Seccomp podmanLike(boolean foreignNames) {
        return parse("""
                {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
                 "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [
                  {"names": ["read", "write", "exit_group", %s"cachestat", "fchmodat2", "futex_wait", "mseal",
                             "getxattrat", "file_getattr"], "action": "SCMP_ACT_ALLOW"},
                  {"names": [%s"statmount", "lsm_set_self_attr", "open_tree_attr", "uretprobe"],
                   "action": "SCMP_ACT_ERRNO", "errnoRet": 1}
                ]}
                """.formatted(
                        foreignNames ? "\"send\", \"recv\", \"arm_fadvise64_64\", " : "",
                        foreignNames ? "\"pciconfig_iobase\", \"pciconfig_read\", \"s390_runtime_instr\", " : ""));
    }

    /** Every comparison, every action, rules that name calls only one ABI has, all three x86 ABIs. */
    static final String EVERY_OP = """
            {
              "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
              "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
              "syscalls": [
                {"names": ["read", "exit_group"], "action": "SCMP_ACT_ALLOW"},
                {"names": ["write"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 3, "op": "SCMP_CMP_EQ"}]},
                {"names": ["close"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 4294967298, "op": "SCMP_CMP_NE"}]},
                {"names": ["lseek"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 4294967296, "op": "SCMP_CMP_LT"}]},
                {"names": ["dup"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 100, "op": "SCMP_CMP_LE"}]},
                {"names": ["mmap"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 2, "value": 12884901895, "op": "SCMP_CMP_GE"}]},
                {"names": ["munmap"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 5, "value": 7, "op": "SCMP_CMP_GT"}]},
                {"names": ["mprotect"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
                 "args": [{"index": 2, "value": 18446744069414584324, "valueTwo": 4, "op": "SCMP_CMP_MASKED_EQ"}]},
                {"names": ["kill"], "action": "SCMP_ACT_ALLOW",
                 "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_GT"}, {"index": 1, "value": 9, "op": "SCMP_CMP_NE"}]},
                {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}]},
                {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]},
                {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ"}]},
                {"names": ["fcntl"], "action": "SCMP_ACT_TRAP", "args": [{"index": 1, "value": 1, "op": "SCMP_CMP_EQ"}]},
                {"names": ["fcntl"], "action": "SCMP_ACT_LOG", "args": [{"index": 1, "value": 2, "op": "SCMP_CMP_EQ"}]},
                {"names": ["reboot"], "action": "SCMP_ACT_KILL_PROCESS"},
                {"names": ["kexec_load"], "action": "SCMP_ACT_KILL"},
                {"names": ["swapon"], "action": "SCMP_ACT_KILL_THREAD"},
                {"names": ["acct"], "action": "SCMP_ACT_TRACE", "errnoRet": 5},
                {"names": ["uname"], "action": "SCMP_ACT_LOG"},
                {"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
                {"names": ["arch_prctl", "socketcall", "_llseek"], "action": "SCMP_ACT_ALLOW"},
                {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}
              ]
            }
            """;
}
