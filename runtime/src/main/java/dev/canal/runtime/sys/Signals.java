package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Signal names and numbers, as kill(1) and runc accept them ({@code TERM}, {@code SIGTERM},
 * {@code 15}, {@code RTMIN+2}), and kill(2).
 */
public final class Signals {

    /**
     * The first real-time signal a program may use. The kernel's is 32, but glibc keeps 32 and
     * 33 for its threads implementation, so SIGRTMIN as programs see it is 34 (signal(7)).
     */
    public static final int RTMIN = 34;
    /** The last signal number on Linux (_NSIG - 1). */
    public static final int RTMAX = 64;

    /** SIGKILL, which no process can catch: with SIGTERM, what engines stop a container with. */
    public static final int SIGKILL = 9;

    /** SIGTERM, the request to end that a process may handle. */
    public static final int SIGTERM = 15;

    private static final Map<String, Integer> BY_NAME = standardSignals();

    private Signals() {}

    /**
     * The numbers of signal(7) for x86 and ARM, written out rather than taken from the generated
     * bindings, whose class links FFM when it is initialised: parsing a signal must not cost a
     * command that sends it without a downcall ({@code canal-oci kill ID KILL}) FFM's set-up.
     * SignalsTest checks them against the bindings.
     */
    private static Map<String, Integer> standardSignals() {
        var signals = new LinkedHashMap<String, Integer>();
        signals.put("HUP", 1);
        signals.put("INT", 2);
        signals.put("QUIT", 3);
        signals.put("ILL", 4);
        signals.put("TRAP", 5);
        signals.put("ABRT", 6);
        signals.put("BUS", 7);
        signals.put("FPE", 8);
        signals.put("KILL", SIGKILL);
        signals.put("USR1", 10);
        signals.put("SEGV", 11);
        signals.put("USR2", 12);
        signals.put("PIPE", 13);
        signals.put("ALRM", 14);
        signals.put("TERM", SIGTERM);
        signals.put("STKFLT", 16);
        signals.put("CHLD", 17);
        signals.put("CONT", 18);
        signals.put("STOP", 19);
        signals.put("TSTP", 20);
        signals.put("TTIN", 21);
        signals.put("TTOU", 22);
        signals.put("URG", 23);
        signals.put("XCPU", 24);
        signals.put("XFSZ", 25);
        signals.put("VTALRM", 26);
        signals.put("PROF", 27);
        signals.put("WINCH", 28);
        signals.put("IO", 29);
        signals.put("PWR", 30);
        signals.put("SYS", 31);
        return Map.copyOf(signals);
    }

    /**
     * The number of a signal given as a name with or without {@code SIG} (any case), as
     * {@code RTMIN+N} / {@code RTMAX-N}, or as a number from 1 to 64.
     *
     * @throws IllegalArgumentException naming {@code spec} when it is none of these
     */
    public static int parse(String spec) {
        String name = spec.toUpperCase(Locale.ROOT);
        name = name.startsWith("SIG") ? name.substring(3) : name;
        Integer known = BY_NAME.get(name);
        if (known != null) {
            return known;
        }
        try {
            int number;
            if (name.startsWith("RTMIN")) {
                number = RTMIN + offset(name.substring(5), '+');
            } else if (name.startsWith("RTMAX")) {
                number = RTMAX - offset(name.substring(5), '-');
            } else {
                number = Integer.parseInt(name);
            }
            if (number >= 1 && number <= RTMAX && (number < RTMIN - 2 || number >= RTMIN)) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("unknown signal \"" + spec + "\"");
    }

    private static int offset(String suffix, char sign) {
        if (suffix.isEmpty()) {
            return 0;
        }
        if (suffix.charAt(0) != sign) {
            throw new NumberFormatException(suffix);
        }
        return Integer.parseUnsignedInt(suffix.substring(1));
    }

    /** The conventional name of signal {@code number}: {@code SIGTERM}, {@code SIGRTMIN+2}. */
    public static String name(int number) {
        for (var entry : BY_NAME.entrySet()) {
            if (entry.getValue() == number) {
                return "SIG" + entry.getKey();
            }
        }
        if (number >= RTMIN && number <= RTMAX) {
            return number == RTMIN ? "SIGRTMIN" : "SIGRTMIN+" + (number - RTMIN);
        }
        return "signal " + number;
    }

    /**
     * kill(2): send {@code signal} to process {@code pid}. Signal 0 sends nothing and only checks
     * that the process exists and may be signalled.
     */
    public static void kill(int pid, int signal) {
        Syscall.call("kill", "pid " + pid + ", " + name(signal), linux_h.SYS_kill(), pid, signal);
    }
}
