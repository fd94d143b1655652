package dev.canal.runtime.oci;

import dev.canal.runtime.oci.Hooks.Hook;
import dev.canal.runtime.oci.ProcessConfig.Rlimit;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@link Spec} against what the runtime-spec requires of its values, before anything is
 * created: config.md's sections here, config-linux.md's in {@link LinuxValidator}. Each problem
 * is one line, {@code JSON path: what is wrong}, such as
 * {@code linux.namespaces[2].type: unknown namespace "pidd"}.
 *
 * <p>It checks what can be known from the file alone; whether a path exists or a namespace can
 * be joined is for the runtime to find out when it tries.
 */
public final class SpecValidator {

    /** SemVer with major version 1, pre-release and build suffixes allowed (config.md#specification-version). */
    private static final Pattern VERSION_1 = Pattern.compile("1\\.\\d+\\.\\d+([-+].*)?");

    /** The first value that is no user or group id: (uid_t) -1. */
    private static final long MAX_ID = (1L << 32) - 1;

    private SpecValidator() {}

    /** Every problem found, in document order; empty when the spec is valid. */
    public static List<String> validate(Spec spec) {
        var problems = new Problems();
        NulCharacters.check("", spec, problems);
        checkVersion(spec.ociVersion(), problems);
        checkRoot(spec.root(), problems);
        checkHostNames(spec, problems);
        if (spec.process() != null) {
            checkProcess(spec.process(), problems);
        }
        checkMounts(spec.mounts(), problems);
        if (spec.hooks() != null) {
            checkHooks(spec.hooks(), problems);
        }
        if (spec.linux() != null) {
            LinuxValidator.check(spec.linux(), problems);
        }
        return problems.list();
    }

    /**
     * Throws an {@link InvalidSpecException} listing every problem on one line,
     * {@code source: problem; problem}, when there is any.
     */
    public static void requireValid(Spec spec, String source) {
        List<String> problems = validate(spec);
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(source + ": " + String.join("; ", problems));
        }
    }

    /** Major versions may break compatibility, so only 1.x is understood (config.md#specification-version). */
    private static void checkVersion(String version, Problems problems) {
        if (version == null) {
            problems.add("ociVersion", "missing");
        } else if (!VERSION_1.matcher(version).matches()) {
            problems.add("ociVersion", Quoted.of(version) + " is not a 1.x version");
        }
    }

    /** Linux containers need a root filesystem (config.md#root). */
    private static void checkRoot(Root root, Problems problems) {
        if (root == null) {
            problems.add("root", "missing");
        } else if (root.path() == null || root.path().isEmpty()) {
            problems.add("root.path", "missing");
        }
    }

    /**
     * sethostname(2) and setdomainname(2) refuse a name longer than HOST_NAME_MAX (64 bytes on
     * Linux) with a bare EINVAL; named here, before anything is created (config.md#hostname).
     */
    private static void checkHostNames(Spec spec, Problems problems) {
        checkHostName("hostname", spec.hostname(), "sethostname(2)", problems);
        checkHostName("domainname", spec.domainname(), "setdomainname(2)", problems);
    }

    private static void checkHostName(String field, String name, String call, Problems problems) {
        final int hostNameMax = 64;
        int bytes = name == null ? 0 : name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > hostNameMax) {
            problems.add(
                    field,
                    bytes + " bytes is longer than " + hostNameMax + ", the most " + call + " takes (HOST_NAME_MAX)");
        }
    }

    /** There must be something to execve(2), from a working directory inside the container (config.md#process). */
    private static void checkProcess(ProcessConfig process, Problems problems) {
        if (process.args().isEmpty()) {
            problems.add("process.args", "must not be empty");
        }
        problems.requireAbsolute("process.cwd", process.cwd());
        if (process.user() != null) {
            checkUser(process.user(), problems);
        }
        checkRlimits(process.rlimits(), problems);
        if (process.capabilities() != null) {
            checkCapabilities(process.capabilities(), problems);
        }
        // proc(5): oom_score_adj takes -1000 to 1000.
        if (process.oomScoreAdj() != null && Math.abs(process.oomScoreAdj()) > 1000) {
            problems.add("process.oomScoreAdj", process.oomScoreAdj() + " is outside -1000 to 1000");
        }
    }

    /**
     * uid_t and gid_t are 32 bits, and (uid_t) -1, 4294967295, tells set*id(2) to leave an id as
     * it is: the process would stay root (config.md#posix-platform-user).
     */
    private static void checkUser(ProcessConfig.User user, Problems problems) {
        requireId("process.user.uid", user.uid(), problems);
        requireId("process.user.gid", user.gid(), problems);
        Problems.forEach(
                "process.user.additionalGids", user.additionalGids(), (path, gid) -> requireId(path, gid, problems));
    }

    private static void requireId(String path, long id, Problems problems) {
        if (id < 0 || id >= MAX_ID) {
            problems.add(path, id + " is outside 0 to " + (MAX_ID - 1));
        }
    }

    /** Every capability by a name capabilities(7) knows, in each of the five sets (config.md#linux-process). */
    private static void checkCapabilities(ProcessConfig.Capabilities capabilities, Problems problems) {
        var sets = List.of(
                Map.entry("bounding", capabilities.bounding()),
                Map.entry("effective", capabilities.effective()),
                Map.entry("inheritable", capabilities.inheritable()),
                Map.entry("permitted", capabilities.permitted()),
                Map.entry("ambient", capabilities.ambient()));
        for (Map.Entry<String, List<String>> set : sets) {
            Problems.forEach(
                    "process.capabilities." + set.getKey(),
                    set.getValue(),
                    (path, name) -> problems.requireKnown(path, name, CapabilityNames.names(), "capability"));
        }
        // capset(2) refuses an effective set that is not a subset of the permitted one (EPERM).
        Problems.forEach("process.capabilities.effective", capabilities.effective(), (path, name) -> {
            if (CapabilityNames.names().contains(name)
                    && !capabilities.permitted().contains(name)) {
                problems.add(path, Quoted.of(name) + " is not in process.capabilities.permitted");
            }
        });
    }

    /**
     * Each limit once, by a name setrlimit(2) knows, with soft at most hard: the kernel refuses
     * a soft limit above the hard one with EINVAL (config.md#posix-process).
     */
    private static void checkRlimits(List<Rlimit> rlimits, Problems problems) {
        Set<String> seen = new HashSet<>();
        Problems.forEach("process.rlimits", rlimits, (path, rlimit) -> {
            problems.requireKnownOnce(path + ".type", rlimit.type(), RlimitNames.names(), "rlimit", seen);
            if (rlimit.hard() == null) {
                problems.add(path + ".hard", "missing");
            } else if (rlimit.soft() == null) {
                problems.add(path + ".soft", "missing");
            } else if (Long.compareUnsigned(rlimit.soft(), rlimit.hard()) > 0) {
                problems.add(
                        path + ".soft",
                        Long.toUnsignedString(rlimit.soft()) + " is above the hard limit "
                                + Long.toUnsignedString(rlimit.hard()));
            }
        });
    }

    /**
     * Mount destinations are paths inside the container (config.md#mounts); a bind mount binds
     * its source, so it needs one.
     */
    private static void checkMounts(List<Mount> mounts, Problems problems) {
        Problems.forEach("mounts", mounts, (path, mount) -> {
            problems.requireAbsolute(path + ".destination", mount.destination());
            if (mount.source() == null
                    && (mount.options().contains("bind") || mount.options().contains("rbind"))) {
                problems.add(path + ".source", "missing: a bind mount needs one");
            }
            LinuxValidator.checkIdMappings(path + ".uidMappings", mount.uidMappings(), problems);
            LinuxValidator.checkIdMappings(path + ".gidMappings", mount.gidMappings(), problems);
        });
    }

    /**
     * Hooks are run with execv(3), no PATH lookup, so their path is absolute; a timeout is a
     * positive number of seconds (config.md#posix-platform-hooks).
     */
    private static void checkHooks(Hooks hooks, Problems problems) {
        var stages = List.of(
                Map.entry("prestart", hooks.prestart()),
                Map.entry("createRuntime", hooks.createRuntime()),
                Map.entry("createContainer", hooks.createContainer()),
                Map.entry("startContainer", hooks.startContainer()),
                Map.entry("poststart", hooks.poststart()),
                Map.entry("poststop", hooks.poststop()));
        for (Map.Entry<String, List<Hook>> stage : stages) {
            Problems.forEach("hooks." + stage.getKey(), stage.getValue(), (path, hook) -> {
                problems.requireAbsolute(path + ".path", hook.path());
                if (hook.timeout() != null && hook.timeout() <= 0) {
                    problems.add(path + ".timeout", "must be greater than 0, got " + hook.timeout());
                }
            });
        }
    }
}
