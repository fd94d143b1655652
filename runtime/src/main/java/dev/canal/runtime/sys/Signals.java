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

    private static final Map<String, Integer> BY_NAME = standardSignals();

    private Signals() {}

    private static Map<String, Integer> standardSignals() {
        var signals = new LinkedHashMap<String, Integer>();
        signals.put("HUP", linux_h.SIGHUP());
        signals.put("INT", linux_h.SIGINT());
        signals.put("QUIT", linux_h.SIGQUIT());
        signals.put("ILL", linux_h.SIGILL());
        signals.put("TRAP", linux_h.SIGTRAP());
        signals.put("ABRT", linux_h.SIGABRT());
        signals.put("BUS", linux_h.SIGBUS());
        signals.put("FPE", linux_h.SIGFPE());
        signals.put("KILL", linux_h.SIGKILL());
        signals.put("USR1", linux_h.SIGUSR1());
        signals.put("SEGV", linux_h.SIGSEGV());
        signals.put("USR2", linux_h.SIGUSR2());
        signals.put("PIPE", linux_h.SIGPIPE());
        signals.put("ALRM", linux_h.SIGALRM());
        signals.put("TERM", linux_h.SIGTERM());
        signals.put("STKFLT", linux_h.SIGSTKFLT());
        signals.put("CHLD", linux_h.SIGCHLD());
        signals.put("CONT", linux_h.SIGCONT());
        signals.put("STOP", linux_h.SIGSTOP());
        signals.put("TSTP", linux_h.SIGTSTP());
        signals.put("TTIN", linux_h.SIGTTIN());
        signals.put("TTOU", linux_h.SIGTTOU());
        signals.put("URG", linux_h.SIGURG());
        signals.put("XCPU", linux_h.SIGXCPU());
        signals.put("XFSZ", linux_h.SIGXFSZ());
        signals.put("VTALRM", linux_h.SIGVTALRM());
        signals.put("PROF", linux_h.SIGPROF());
        signals.put("WINCH", linux_h.SIGWINCH());
        signals.put("IO", linux_h.SIGIO());
        signals.put("PWR", linux_h.SIGPWR());
        signals.put("SYS", linux_h.SIGSYS());
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
