package dev.canal.cli.oci;

import dev.canal.cli.VersionInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code create}, {@code run}, {@code exec --process}, {@code state}, {@code start}, {@code kill}, {@code delete} and
 * {@code --version} parsed by hand: the commands
 * containerd's shim, conmon and podman run most, answered without building picocli's command
 * model, which loads about 170 classes and is most of a start (docs/start-time.md).
 *
 * <p>Only the plain forms are taken here: runc's global options before the command, each at most
 * once, as {@code --root X} or {@code --root=X}; then the command, its own flags and its
 * arguments. Everything else (help, a mistake, an {@code @file}, {@code --}, a value that looks
 * like an option) is left to picocli, so its messages and exit statuses stay the only ones. The
 * commands run as the same picocli command objects, filled in here, and report failures through
 * the same {@link ErrorReport}: output, errors and the runtime calls are those of the full parse.
 */
public final class QuickCommands {

    /** The options that take a value: runc's global ones, and create's. */
    private static final Set<String> GLOBAL_VALUED = Set.of("--root", "--log", "--log-format", "--rootless");

    private static final Set<String> CREATE_VALUED = Set.of("--bundle", "-b", "--pid-file", "--console-socket");

    private static final Set<String> EXEC_VALUED = Set.of("--process", "-p", "--pid-file", "--console-socket");

    private QuickCommands() {}

    /** Runs the command {@code args} name and returns its exit status, or empty to leave them to picocli. */
    public static OptionalInt run(String[] args) {
        for (String arg : args) {
            if (arg.isEmpty() || arg.startsWith("@")) {
                return OptionalInt.empty(); // picocli reads @FILE as more arguments
            }
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            for (String line : VersionInfo.lines("canal-oci")) {
                System.out.println(line);
            }
            return OptionalInt.of(0);
        }
        var global = new CanalOciCommand();
        global.root = Path.of("/run/canal");
        global.logFormat = "text";
        global.rootless = "auto";
        int next = globalOptions(args, global);
        if (next < 0 || next == args.length) {
            return OptionalInt.empty();
        }
        Callable<Integer> command = command(args[next], args, next + 1, global);
        if (command == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(command.call());
        } catch (Exception e) {
            return OptionalInt.of(new ErrorReport(global).report(e, new PrintWriter(System.err)));
        }
    }

    /**
     * One option as written at {@code args[index]}: its name, and its value after {@code =} or,
     * for a name in {@code valued}, the next argument unless that looks like an option (null when
     * there is none); {@code next} is the index after it.
     */
    private record WrittenOption(String name, String value, int next) {

        static WrittenOption at(String[] args, int index, Set<String> valued) {
            String name = args[index];
            int equals = name.indexOf('=');
            if (equals > 0) {
                return new WrittenOption(name.substring(0, equals), name.substring(equals + 1), index + 1);
            }
            if (valued.contains(name) && index + 1 < args.length && !args[index + 1].startsWith("-")) {
                return new WrittenOption(name, args[index + 1], index + 2);
            }
            return new WrittenOption(name, null, index + 1);
        }

        /** A value that is there and not empty. */
        boolean hasValue() {
            return value != null && !value.isEmpty();
        }
    }

    /** Sets runc's global options from the front of {@code args}; returns the index after them, or -1. */
    private static int globalOptions(String[] args, CanalOciCommand global) {
        Set<String> seen = new HashSet<>();
        int index = 0;
        while (index < args.length && args[index].startsWith("-")) {
            var option = WrittenOption.at(args, index, GLOBAL_VALUED);
            String name = option.name();
            if (!seen.add(name)) {
                return -1;
            }
            switch (name) {
                case "--debug", "--systemd-cgroup" -> {
                    if (option.value() != null) {
                        return -1;
                    }
                    global.debug |= name.equals("--debug");
                    global.systemdCgroup |= name.equals("--systemd-cgroup");
                }
                case "--root", "--log", "--log-format", "--rootless" -> {
                    if (!option.hasValue()) {
                        return -1;
                    }
                    switch (name) {
                        case "--root" -> global.root = Path.of(option.value());
                        case "--log" -> global.log = Path.of(option.value());
                        case "--log-format" -> global.logFormat = option.value();
                        default -> global.rootless = option.value();
                    }
                }
                default -> {
                    return -1;
                }
            }
            index = option.next();
        }
        return index;
    }

    /**
     * The command {@code name} with its flags and arguments from {@code args[from..]}, or null when
     * it is another command or they are not in a plain form.
     */
    private static Callable<Integer> command(String name, String[] args, int from, CanalOciCommand global) {
        if (name.equals("create") || name.equals("run")) {
            return creating(name, args, from, global);
        }
        if (name.equals("exec")) {
            return execProcessFile(args, from, global);
        }
        List<String> arguments = new ArrayList<>();
        Set<String> flags = new HashSet<>();
        for (int index = from; index < args.length; index++) {
            String arg = args[index];
            if (!arg.startsWith("-")) {
                arguments.add(arg);
            } else if (!flags.add(longFlag(arg))) {
                return null;
            }
        }
        switch (name) {
            case "state" -> {
                return withIdOnly(new StateCommand(), arguments, flags, global);
            }
            case "start" -> {
                return withIdOnly(new StartCommand(), arguments, flags, global);
            }
            case "kill" -> {
                if (arguments.isEmpty()
                        || arguments.size() > 2
                        || !Set.of("--all").containsAll(flags)) {
                    return null;
                }
                var kill = new KillCommand();
                kill.global = global;
                kill.id = arguments.get(0);
                kill.signal = arguments.size() == 2 ? arguments.get(1) : "SIGTERM";
                kill.all = flags.contains("--all");
                return kill;
            }
            case "delete" -> {
                if (arguments.size() != 1 || !Set.of("--force").containsAll(flags)) {
                    return null;
                }
                var delete = new DeleteCommand();
                delete.global = global;
                delete.id = arguments.get(0);
                delete.force = flags.contains("--force");
                return delete;
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * {@code create} as containerd's shim and conmon call it, and {@code run} in the same form:
     * {@code --bundle}/{@code -b}, {@code --pid-file} and {@code --console-socket} with a value
     * (as the next argument or after {@code =}), create's {@code --no-new-keyring} or run's
     * {@code --detach}/{@code -d}, then the id; each option at most once. Anything else
     * (including {@code --no-pivot} and {@code --preserve-fds}, which picocli's parse refuses with
     * its message) is left to picocli.
     */
    private static Callable<Integer> creating(String name, String[] args, int from, CanalOciCommand global) {
        boolean run = name.equals("run");
        String flag = run ? "--detach" : "--no-new-keyring";
        var plain = PlainForm.read(args, from, CREATE_VALUED, flag, false);
        if (plain == null) {
            return null;
        }
        var creation = new CreationOptions();
        creation.bundle = Path.of(plain.values().getOrDefault("--bundle", "."));
        creation.pidFile = plain.path("--pid-file");
        creation.consoleSocket = plain.path("--console-socket");
        if (run) {
            var command = new RunCommand();
            command.global = global;
            command.creation = creation;
            command.id = plain.id();
            command.detach = plain.flagged();
            return command;
        }
        var command = new CreateCommand();
        command.global = global;
        command.creation = creation;
        command.id = plain.id();
        command.noNewKeyring = plain.flagged();
        return command;
    }

    /**
     * {@code exec} as containerd's shim and conmon call it: {@code --process}/{@code -p} with the
     * runtime-spec process file, {@code --pid-file} and {@code --console-socket} with a value,
     * {@code --detach}/{@code -d}, then the id, each at most once. A program on the command line
     * instead of {@code --process} (exec's other form, with its many flags) is left to picocli.
     */
    private static Callable<Integer> execProcessFile(String[] args, int from, CanalOciCommand global) {
        var plain = PlainForm.read(args, from, EXEC_VALUED, "--detach", true);
        if (plain == null || !plain.values().containsKey("--process")) {
            return null;
        }
        var exec = new ExecCommand();
        exec.global = global;
        exec.id = plain.id();
        exec.process = plain.path("--process");
        exec.pidFile = plain.path("--pid-file");
        exec.consoleSocket = plain.path("--console-socket");
        exec.detach = plain.flagged();
        return exec;
    }

    /**
     * A command's options and its one id in the plain form create, run and exec share: each option
     * at most once, by its long name; {@code flag} without a value, the names in {@code valued}
     * with one that is not empty.
     *
     * @param values the valued options by long name
     * @param flagged whether {@code flag} was given
     */
    private record PlainForm(Map<String, String> values, boolean flagged, String id) {

        private static final Map<String, String> LONG_NAMES =
                Map.of("-b", "--bundle", "-d", "--detach", "-p", "--process");

        /**
         * Reads {@code args[from..]}, or returns null when they hold anything else: an unknown
         * option, one given twice, a value missing, no id or two. With {@code idLast} the id must
         * end the command line (exec: picocli's parse gives what follows the id to the program).
         */
        static PlainForm read(String[] args, int from, Set<String> valued, String flag, boolean idLast) {
            Map<String, String> values = new HashMap<>();
            boolean flagged = false;
            String id = null;
            int index = from;
            while (index < args.length) {
                if (!args[index].startsWith("-")) {
                    if (id != null || (idLast && index != args.length - 1)) {
                        return null;
                    }
                    id = args[index++];
                    continue;
                }
                var option = WrittenOption.at(args, index, valued);
                index = option.next();
                String name = LONG_NAMES.getOrDefault(option.name(), option.name());
                if (values.containsKey(name) || (flagged && name.equals(flag))) {
                    return null;
                }
                if (name.equals(flag) && option.value() == null) {
                    flagged = true;
                } else if (valued.contains(name) && option.hasValue()) {
                    values.put(name, option.value());
                } else {
                    return null;
                }
            }
            return id == null ? null : new PlainForm(values, flagged, id);
        }

        /** The valued option {@code name} as a path, or null when not given. */
        Path path(String name) {
            String value = values.get(name);
            return value == null ? null : Path.of(value);
        }
    }

    /** {@code command} for the one container id in {@code arguments}, or null when there are flags or other arguments. */
    private static <C extends ContainerId & Callable<Integer>> Callable<Integer> withIdOnly(
            C command, List<String> arguments, Set<String> flags, CanalOciCommand global) {
        if (arguments.size() != 1 || !flags.isEmpty()) {
            return null;
        }
        command.global = global;
        command.id = arguments.get(0);
        return command;
    }

    /** A command flag by its long name: kill's -a is --all, delete's -f is --force. */
    private static String longFlag(String flag) {
        return switch (flag) {
            case "-a" -> "--all";
            case "-f" -> "--force";
            default -> flag;
        };
    }
}
