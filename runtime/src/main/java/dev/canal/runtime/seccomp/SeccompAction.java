package dev.canal.runtime.seccomp;

import dev.canal.bindings.linux.linux_h;
import java.util.Map;
import java.util.Set;

/**
 * What the kernel does with a system call, as the 32-bit value a filter returns (seccomp(2),
 * "Filter return values"): the high 16 bits choose the action, the low 16 bits
 * ({@code SECCOMP_RET_DATA}) carry the errno for ERRNO and the message for a tracer for TRACE.
 *
 * @param value the SECCOMP_RET_* value, action and data together
 */
record SeccompAction(int value) {

    static final int KILL_PROCESS = linux_h.SECCOMP_RET_KILL_PROCESS();
    static final int KILL_THREAD = linux_h.SECCOMP_RET_KILL_THREAD();
    static final int TRAP = linux_h.SECCOMP_RET_TRAP();
    static final int ERRNO = linux_h.SECCOMP_RET_ERRNO();
    static final int USER_NOTIF = linux_h.SECCOMP_RET_USER_NOTIF();
    static final int TRACE = linux_h.SECCOMP_RET_TRACE();
    static final int LOG = linux_h.SECCOMP_RET_LOG();
    static final int ALLOW = linux_h.SECCOMP_RET_ALLOW();
    static final int DATA = linux_h.SECCOMP_RET_DATA();
    static final int ACTION_FULL = linux_h.SECCOMP_RET_ACTION_FULL();

    private static final Map<Integer, String> NAMES = Map.of(
            KILL_PROCESS,
            "KILL_PROCESS",
            KILL_THREAD,
            "KILL_THREAD",
            TRAP,
            "TRAP",
            ERRNO,
            "ERRNO",
            USER_NOTIF,
            "USER_NOTIF",
            TRACE,
            "TRACE",
            LOG,
            "LOG",
            ALLOW,
            "ALLOW");

    /** The actions by their config.json names (config-linux.md#seccomp). */
    private static final Map<String, Integer> BY_OCI_NAME = Map.of(
            // SCMP_ACT_KILL is libseccomp's old name for killing the calling thread only.
            "SCMP_ACT_KILL", KILL_THREAD,
            "SCMP_ACT_KILL_THREAD", KILL_THREAD,
            "SCMP_ACT_KILL_PROCESS", KILL_PROCESS,
            "SCMP_ACT_TRAP", TRAP,
            "SCMP_ACT_ERRNO", ERRNO,
            "SCMP_ACT_TRACE", TRACE,
            "SCMP_ACT_LOG", LOG,
            "SCMP_ACT_ALLOW", ALLOW);

    /** The largest errno a system call can return (MAX_ERRNO, include/linux/err.h); the kernel clamps larger ones. */
    static final long MAX_ERRNO = 4095;
    /** The errno of an ERRNO or TRACE action that names none: EPERM, as libseccomp's users (runc, crun) choose. */
    static final long DEFAULT_ERRNO = linux_h.EPERM();

    /** Written out, as {@link ArgCondition}'s: the generated equals spins classes at run time. */
    @Override
    public boolean equals(Object other) {
        return other instanceof SeccompAction that && value == that.value;
    }

    @Override
    public int hashCode() {
        return value;
    }

    /** Every action name {@link #parse} accepts. */
    static Set<String> ociNames() {
        return BY_OCI_NAME.keySet();
    }

    static SeccompAction errno(long errno) {
        return new SeccompAction(ERRNO | (int) errno);
    }

    /** The action without its data. */
    int action() {
        return value & ACTION_FULL;
    }

    /** The errno or trace message carried in the low 16 bits. */
    int data() {
        return value & DATA;
    }

    /** The action as libseccomp's tools print it: "ALLOW", "ERRNO(1)", "KILL_PROCESS". */
    @Override
    public String toString() {
        String name = NAMES.get(action());
        if (name == null) {
            return "0x%08x".formatted(value);
        }
        return action() == ERRNO || action() == TRACE ? name + "(" + data() + ")" : name;
    }

    /**
     * Reads an action as config.json names it ({@code SCMP_ACT_*}, config-linux.md#seccomp).
     * {@code errnoRet} is only meaningful for ERRNO and TRACE; the spec says a runtime must fail
     * when it is given for another action.
     */
    static SeccompAction parse(String name, Long errnoRet, String namePath, String errnoPath) {
        if (name == null) {
            throw new InvalidSeccompException(namePath, "missing");
        }
        if (name.equals("SCMP_ACT_NOTIFY")) {
            throw new InvalidSeccompException(
                    namePath,
                    "SCMP_ACT_NOTIFY needs a seccomp listener socket (listenerPath), which Canal does not support");
        }
        Integer action = BY_OCI_NAME.get(name);
        if (action == null) {
            throw new InvalidSeccompException(namePath, "unknown action \"" + name + "\"");
        }
        if (action == ERRNO) {
            return new SeccompAction(ERRNO | (int) checkedData(errnoRet, MAX_ERRNO, errnoPath));
        }
        if (action == TRACE) {
            return new SeccompAction(TRACE | (int) checkedData(errnoRet, DATA, errnoPath));
        }
        if (errnoRet != null) {
            throw new InvalidSeccompException(
                    errnoPath, "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errnoRet, not " + name);
        }
        return new SeccompAction(action);
    }

    private static long checkedData(Long errnoRet, long max, String path) {
        if (errnoRet == null) {
            return DEFAULT_ERRNO;
        }
        if (errnoRet < 0 || errnoRet > max) {
            throw new InvalidSeccompException(path, "must be 0 to " + max + ", got " + errnoRet);
        }
        return errnoRet;
    }
}
