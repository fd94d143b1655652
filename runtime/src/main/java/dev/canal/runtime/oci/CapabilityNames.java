package dev.canal.runtime.oci;

import dev.canal.bindings.linux.linux_h;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The capability names of capabilities(7) ({@code CAP_KILL}) and their numbers, as
 * {@code process.capabilities} names them (config.md#linux-process).
 */
public final class CapabilityNames {

    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("CAP_CHOWN", linux_h.CAP_CHOWN()),
            Map.entry("CAP_DAC_OVERRIDE", linux_h.CAP_DAC_OVERRIDE()),
            Map.entry("CAP_DAC_READ_SEARCH", linux_h.CAP_DAC_READ_SEARCH()),
            Map.entry("CAP_FOWNER", linux_h.CAP_FOWNER()),
            Map.entry("CAP_FSETID", linux_h.CAP_FSETID()),
            Map.entry("CAP_KILL", linux_h.CAP_KILL()),
            Map.entry("CAP_SETGID", linux_h.CAP_SETGID()),
            Map.entry("CAP_SETUID", linux_h.CAP_SETUID()),
            Map.entry("CAP_SETPCAP", linux_h.CAP_SETPCAP()),
            Map.entry("CAP_LINUX_IMMUTABLE", linux_h.CAP_LINUX_IMMUTABLE()),
            Map.entry("CAP_NET_BIND_SERVICE", linux_h.CAP_NET_BIND_SERVICE()),
            Map.entry("CAP_NET_BROADCAST", linux_h.CAP_NET_BROADCAST()),
            Map.entry("CAP_NET_ADMIN", linux_h.CAP_NET_ADMIN()),
            Map.entry("CAP_NET_RAW", linux_h.CAP_NET_RAW()),
            Map.entry("CAP_IPC_LOCK", linux_h.CAP_IPC_LOCK()),
            Map.entry("CAP_IPC_OWNER", linux_h.CAP_IPC_OWNER()),
            Map.entry("CAP_SYS_MODULE", linux_h.CAP_SYS_MODULE()),
            Map.entry("CAP_SYS_RAWIO", linux_h.CAP_SYS_RAWIO()),
            Map.entry("CAP_SYS_CHROOT", linux_h.CAP_SYS_CHROOT()),
            Map.entry("CAP_SYS_PTRACE", linux_h.CAP_SYS_PTRACE()),
            Map.entry("CAP_SYS_PACCT", linux_h.CAP_SYS_PACCT()),
            Map.entry("CAP_SYS_ADMIN", linux_h.CAP_SYS_ADMIN()),
            Map.entry("CAP_SYS_BOOT", linux_h.CAP_SYS_BOOT()),
            Map.entry("CAP_SYS_NICE", linux_h.CAP_SYS_NICE()),
            Map.entry("CAP_SYS_RESOURCE", linux_h.CAP_SYS_RESOURCE()),
            Map.entry("CAP_SYS_TIME", linux_h.CAP_SYS_TIME()),
            Map.entry("CAP_SYS_TTY_CONFIG", linux_h.CAP_SYS_TTY_CONFIG()),
            Map.entry("CAP_MKNOD", linux_h.CAP_MKNOD()),
            Map.entry("CAP_LEASE", linux_h.CAP_LEASE()),
            Map.entry("CAP_AUDIT_WRITE", linux_h.CAP_AUDIT_WRITE()),
            Map.entry("CAP_AUDIT_CONTROL", linux_h.CAP_AUDIT_CONTROL()),
            Map.entry("CAP_SETFCAP", linux_h.CAP_SETFCAP()),
            Map.entry("CAP_MAC_OVERRIDE", linux_h.CAP_MAC_OVERRIDE()),
            Map.entry("CAP_MAC_ADMIN", linux_h.CAP_MAC_ADMIN()),
            Map.entry("CAP_SYSLOG", linux_h.CAP_SYSLOG()),
            Map.entry("CAP_WAKE_ALARM", linux_h.CAP_WAKE_ALARM()),
            Map.entry("CAP_BLOCK_SUSPEND", linux_h.CAP_BLOCK_SUSPEND()),
            Map.entry("CAP_AUDIT_READ", linux_h.CAP_AUDIT_READ()),
            Map.entry("CAP_PERFMON", linux_h.CAP_PERFMON()),
            Map.entry("CAP_BPF", linux_h.CAP_BPF()),
            Map.entry("CAP_CHECKPOINT_RESTORE", linux_h.CAP_CHECKPOINT_RESTORE()));

    private CapabilityNames() {}

    /** Every name Canal knows, up to CAP_CHECKPOINT_RESTORE (Linux 5.9). */
    public static Set<String> names() {
        return NUMBERS.keySet();
    }

    /** Every name Canal knows, in the kernel's order (by number). */
    public static List<String> namesInKernelOrder() {
        return NUMBERS.entrySet().stream()
                .sorted(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .toList();
    }

    /** The number of a known capability; see {@link #names}. */
    public static int number(String name) {
        Integer number = NUMBERS.get(name);
        if (number == null) {
            throw new IllegalArgumentException("unknown capability \"" + name + "\"");
        }
        return number;
    }

    /**
     * The capabilities of {@code names} as a bit mask, bit {@code n} for capability {@code n},
     * leaving out those the running kernel does not have (as runc does: a config written for a
     * newer kernel still runs, without what this one cannot grant).
     */
    public static long mask(List<String> names) {
        long mask = 0;
        for (String name : names) {
            int number = number(name);
            if (number <= lastCapability()) {
                mask |= 1L << number;
            }
        }
        return mask;
    }

    /** The highest capability number the running kernel knows, from /proc/sys/kernel/cap_last_cap (proc(5)). */
    public static int lastCapability() {
        return LastCapability.VALUE;
    }

    /** Read once, on first use. */
    private static final class LastCapability {
        static final int VALUE = read();

        private static int read() {
            try {
                // Not Files.readString: it reads a file of size 0 one byte first, and a sysctl
                // file answers a read at offset 1 with end of file ("4" for "40").
                return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/cap_last_cap"))
                        .getFirst()
                        .strip());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
