package dev.canal.runtime.seccomp;

import dev.canal.bindings.linux.linux_h;

/** The seccomp(2) SECCOMP_SET_MODE_FILTER flags a config.json may ask for. */
enum FilterFlag {
    /** Log every action but ALLOW to the audit log (kernel.seccomp.actions_logged). */
    SECCOMP_FILTER_FLAG_LOG((int) linux_h.SECCOMP_FILTER_FLAG_LOG()),
    /** Keep the speculative store bypass mitigation off that seccomp would otherwise turn on. */
    SECCOMP_FILTER_FLAG_SPEC_ALLOW((int) linux_h.SECCOMP_FILTER_FLAG_SPEC_ALLOW());

    final int bit;

    FilterFlag(int bit) {
        this.bit = bit;
    }

    /**
     * The bit for {@code name}. TSYNC would apply the filter to every thread of the runtime
     * itself; WAIT_KILLABLE_RECV only matters with a notify listener, which Canal does not offer.
     */
    static int parse(String name, String path) {
        if (name == null) {
            throw new InvalidSeccompException(path, "missing");
        }
        for (FilterFlag flag : values()) {
            if (flag.name().equals(name)) {
                return flag.bit;
            }
        }
        String why = switch (name) {
            case "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_TSYNC_ESRCH" ->
                "the runtime installs the filter in the container process itself; TSYNC is not a config.json flag";
            case "SECCOMP_FILTER_FLAG_NEW_LISTENER", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" ->
                name + " belongs to SCMP_ACT_NOTIFY, which Canal does not support";
            default -> "unknown flag \"" + name + "\"";
        };
        throw new InvalidSeccompException(path, why);
    }
}
