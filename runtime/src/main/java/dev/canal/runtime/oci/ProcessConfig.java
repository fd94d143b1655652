package dev.canal.runtime.oci;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The container's first process, {@code process} in config.json (config.md#process). Named so
 * as not to shadow {@link java.lang.Process}.
 *
 * @param terminal give the process a pseudo-terminal as stdin, stdout and stderr
 * @param args argv, with execvp(3) semantics: {@code args[0]} is looked up in the PATH of {@code env}
 * @param env "KEY=value" strings, as in environ(7)
 * @param cwd the working directory inside the container; must be absolute
 * @param rlimits applied with setrlimit(2) (config.md#posix-process)
 * @param noNewPrivileges set {@code PR_SET_NO_NEW_PRIVS}, so execve(2) cannot gain privileges
 *     through setuid bits or file capabilities (config.md#linux-process)
 * @param oomScoreAdj written to /proc/PID/oom_score_adj
 */
public record ProcessConfig(
        Boolean terminal,
        ConsoleSize consoleSize,
        User user,
        List<String> args,
        List<String> env,
        String cwd,
        Capabilities capabilities,
        List<Rlimit> rlimits,
        Boolean noNewPrivileges,
        String apparmorProfile,
        Integer oomScoreAdj,
        Scheduler scheduler,
        String selinuxLabel,
        IoPriority ioPriority,
        @KeepUnknown Map<String, Object> unknownFields) {

    public ProcessConfig {
        args = Immutable.list(args);
        env = Immutable.list(env);
        rlimits = Immutable.list(rlimits);
        unknownFields = Immutable.map(unknownFields);
    }

    /** A process with no field set, for callers that build one from nothing. */
    public static ProcessConfig empty() {
        return new ProcessConfig(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The same process running {@code newArgs}. */
    public ProcessConfig withArgs(List<String> newArgs) {
        return with(copy -> copy.args = newArgs);
    }

    /** With or without a terminal; without a console size, which belongs to the terminal asked for. */
    public ProcessConfig withTerminal(boolean newTerminal) {
        return with(copy -> {
            copy.terminal = newTerminal;
            copy.consoleSize = null;
        });
    }

    /** With {@code newEnv} as its environment. */
    public ProcessConfig withEnv(List<String> newEnv) {
        return with(copy -> copy.env = newEnv);
    }

    /** In the working directory {@code newCwd}. */
    public ProcessConfig withCwd(String newCwd) {
        return with(copy -> copy.cwd = newCwd);
    }

    /** Running as {@code newUser}. */
    public ProcessConfig withUser(User newUser) {
        return with(copy -> copy.user = newUser);
    }

    /** With the capability sets {@code newCapabilities}. */
    public ProcessConfig withCapabilities(Capabilities newCapabilities) {
        return with(copy -> copy.capabilities = newCapabilities);
    }

    /** With no_new_privs set or not. */
    public ProcessConfig withNoNewPrivileges(boolean newNoNewPrivileges) {
        return with(copy -> copy.noNewPrivileges = newNoNewPrivileges);
    }

    /** This process with what {@code change} sets on a copy of its fields. */
    private ProcessConfig with(Consumer<Fields> change) {
        var copy = new Fields(this);
        change.accept(copy);
        return copy.build();
    }

    /** The record's fields, to change one or two before building a new record: the copy-with methods' one constructor call. */
    private static final class Fields {
        private Boolean terminal;
        private ConsoleSize consoleSize;
        private User user;
        private List<String> args;
        private List<String> env;
        private String cwd;
        private Capabilities capabilities;
        private List<Rlimit> rlimits;
        private Boolean noNewPrivileges;
        private String apparmorProfile;
        private Integer oomScoreAdj;
        private Scheduler scheduler;
        private String selinuxLabel;
        private IoPriority ioPriority;
        private Map<String, Object> unknownFields;

        private Fields(ProcessConfig process) {
            terminal = process.terminal;
            consoleSize = process.consoleSize;
            user = process.user;
            args = process.args;
            env = process.env;
            cwd = process.cwd;
            capabilities = process.capabilities;
            rlimits = process.rlimits;
            noNewPrivileges = process.noNewPrivileges;
            apparmorProfile = process.apparmorProfile;
            oomScoreAdj = process.oomScoreAdj;
            scheduler = process.scheduler;
            selinuxLabel = process.selinuxLabel;
            ioPriority = process.ioPriority;
            unknownFields = process.unknownFields;
        }

        private ProcessConfig build() {
            return new ProcessConfig(
                    terminal,
                    consoleSize,
                    user,
                    args,
                    env,
                    cwd,
                    capabilities,
                    rlimits,
                    noNewPrivileges,
                    apparmorProfile,
                    oomScoreAdj,
                    scheduler,
                    selinuxLabel,
                    ioPriority,
                    unknownFields);
        }
    }

    /** The terminal's size in characters, set with the TIOCSWINSZ ioctl(2). */
    public record ConsoleSize(
            long height, long width, @KeepUnknown Map<String, Object> unknownFields) {

        public ConsoleSize {
            unknownFields = Immutable.map(unknownFields);
        }
    }

    /**
     * Who the process runs as, in the container's user namespace (config.md#posix-platform-user).
     *
     * @param umask the umask(2) to set, or null to keep the runtime's
     * @param additionalGids supplementary groups, set with setgroups(2)
     */
    public record User(
            long uid,
            long gid,
            Long umask,
            List<Long> additionalGids,
            String username,
            @KeepUnknown Map<String, Object> unknownFields) {

        public User {
            additionalGids = Immutable.list(additionalGids);
            unknownFields = Immutable.map(unknownFields);
        }
    }

    /**
     * The capability sets the process keeps, by name ("CAP_KILL"); see capabilities(7) for how
     * bounding, effective, inheritable, permitted and ambient interact across execve(2).
     */
    public record Capabilities(
            List<String> bounding,
            List<String> effective,
            List<String> inheritable,
            List<String> permitted,
            List<String> ambient,
            @KeepUnknown Map<String, Object> unknownFields) {

        public Capabilities {
            bounding = Immutable.list(bounding);
            effective = Immutable.list(effective);
            inheritable = Immutable.list(inheritable);
            permitted = Immutable.list(permitted);
            ambient = Immutable.list(ambient);
            unknownFields = Immutable.map(unknownFields);
        }

        /** The same sets with {@code names} added to each, as runc's {@code exec --cap} adds them. */
        public Capabilities withAddedToEverySet(List<String> names) {
            return new Capabilities(
                    plus(bounding, names),
                    plus(effective, names),
                    plus(inheritable, names),
                    plus(permitted, names),
                    plus(ambient, names),
                    unknownFields);
        }

        private static List<String> plus(List<String> set, List<String> names) {
            return Stream.concat(set.stream(), names.stream()).toList();
        }
    }

    /**
     * One resource limit, setrlimit(2)'s {@code RLIMIT_*} by name. Both limits are uint64:
     * unlimited ({@code RLIM_INFINITY}) reads as -1.
     */
    public record Rlimit(
            String type,
            @Uint64 Long hard,
            @Uint64 Long soft,
            @KeepUnknown Map<String, Object> unknownFields) {

        public Rlimit {
            unknownFields = Immutable.map(unknownFields);
        }
    }

    /**
     * sched_setattr(2) attributes (config.md#linux-process): the policy ("SCHED_OTHER",
     * "SCHED_FIFO", ...), nice or static priority, and for SCHED_DEADLINE the runtime, deadline
     * and period in nanoseconds.
     */
    public record Scheduler(
            String policy,
            Integer nice,
            Integer priority,
            List<String> flags,
            @Uint64 Long runtime,
            @Uint64 Long deadline,
            @Uint64 Long period,
            @KeepUnknown Map<String, Object> unknownFields) {

        public Scheduler {
            flags = Immutable.list(flags);
            unknownFields = Immutable.map(unknownFields);
        }
    }

    /**
     * The I/O scheduling class ("IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE") and
     * priority for ioprio_set(2). The JSON name is {@code class}, a Java keyword.
     */
    public record IoPriority(
            @JsonProperty("class") String ioClass,
            int priority,
            @KeepUnknown Map<String, Object> unknownFields) {

        public IoPriority {
            unknownFields = Immutable.map(unknownFields);
        }
    }
}
