package dev.canal.cli.oci;

import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.ExecutedProcess;
import dev.canal.runtime.container.StateLock;
import dev.canal.runtime.oci.ProcessConfig;
import dev.canal.runtime.oci.Spec;
import dev.canal.runtime.oci.SpecReader;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.sys.Processes;
import dev.canal.runtime.sys.Signals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * {@code exec}: run another process in a running container, as runc's {@code exec}: from a
 * runtime-spec {@code process} file ({@code --process}, what conmon and containerd's shim pass),
 * or from the container's own process with the program and the flags given here. In the
 * foreground it waits and exits with the process's status; with {@code --detach} it returns
 * once the program runs, and the process passes to whoever reaps orphans here (conmon and the
 * shim make themselves subreapers for this).
 */
@Command(name = "exec", description = "Run a new process inside a running container.")
final class ExecCommand extends ContainerId implements Callable<Integer> {

    @Parameters(
            index = "1..*",
            paramLabel = "COMMAND",
            description = "The program and its arguments (without --process).")
    List<String> command = new ArrayList<>();

    @Option(
            names = {"--process", "-p"},
            description = "A JSON file with the runtime-spec process to run.")
    Path process;

    @Option(
            names = {"--detach", "-d"},
            description = "Return once the process runs its program.")
    boolean detach;

    @Option(names = "--pid-file", description = "Write the new process's pid to this file.")
    Path pidFile;

    @Option(names = "--console-socket", description = "An AF_UNIX socket to send the terminal's master to.")
    Path consoleSocket;

    @Option(
            names = {"--tty", "-t"},
            description = "Give the process a terminal (needs --console-socket).")
    boolean tty;

    @Option(
            names = {"--env", "-e"},
            description = "Add NAME=value to the environment.")
    List<String> env = new ArrayList<>();

    @Option(names = "--cwd", description = "The working directory inside the container.")
    String cwd;

    @Option(
            names = {"--user", "-u"},
            description = "UID[:GID] to run as.")
    String user;

    @Option(
            names = {"--cap", "-c"},
            description = "Add a capability (CAP_NET_ADMIN) to every set.")
    List<String> caps = new ArrayList<>();

    @Option(names = "--no-new-privs", description = "Set no_new_privs for the process.")
    boolean noNewPrivs;

    @Option(names = "--preserve-fds", defaultValue = "0", description = "Not supported: must be 0.")
    int preserveFds;

    @Override
    public Integer call() throws IOException {
        if (preserveFds != 0) {
            throw new IllegalArgumentException("--preserve-fds: not supported");
        }
        Container container = container();
        ProcessConfig processConfig = process != null ? readProcessFile() : processFromFlags(container);
        boolean terminal = Boolean.TRUE.equals(processConfig.terminal());
        if (terminal && consoleSocket == null) {
            throw new IllegalArgumentException(
                    "--console-socket: a process with a terminal needs one to send the terminal to");
        }
        if (!terminal && consoleSocket != null) {
            throw new IllegalArgumentException("--console-socket: the process asks for no terminal (process.terminal)");
        }
        ExecutedProcess executed;
        try (StateLock lock = container.lock(StateLock.Mode.SHARED)) {
            executed = container.exec(processConfig, Stdio.inherit());
        }
        executed.terminalMaster().ifPresent(master -> ConsoleSocket.send(consoleSocket, master));
        PidFile.write(pidFile, executed.pid());
        if (detach) {
            return 0;
        }
        for (String name : new String[] {"INT", "TERM", "HUP", "USR1", "USR2", "WINCH"}) {
            Signal.handle(new Signal(name), signal -> Signals.kill(executed.pid(), signal.getNumber()));
        }
        return Processes.waitForExit(executed.pid());
    }

    private ProcessConfig readProcessFile() throws IOException {
        if (!command.isEmpty()) {
            throw new IllegalArgumentException("--process: give the program in the file, not also on the command line");
        }
        if (!Files.isRegularFile(process)) {
            throw new IllegalArgumentException("--process: " + process + ": no such file");
        }
        return SpecReader.parseProcess(Files.readString(process), "--process: " + process);
    }

    /** runc's way without --process: the container's own process, with what the flags change. */
    private ProcessConfig processFromFlags(Container container) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("exec: give a program to run, or --process");
        }
        ProcessConfig original = Spec.read(container.config()).process();
        ProcessConfig changed = (original == null ? ProcessConfig.empty() : original)
                .withArgs(command)
                .withTerminal(tty);
        changed = changed.withEnv(
                Stream.concat(changed.env().stream(), env.stream()).toList());
        if (cwd != null) {
            changed = changed.withCwd(cwd);
        }
        if (user != null) {
            String[] ids = user.split(":", 2);
            try {
                changed = changed.withUser(new ProcessConfig.User(
                        Long.parseLong(ids[0]), ids.length > 1 ? Long.parseLong(ids[1]) : 0, null, null, null, null));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--user: \"" + user + "\" is not UID[:GID]");
            }
        }
        if (!caps.isEmpty()) {
            ProcessConfig.Capabilities sets = changed.capabilities() != null
                    ? changed.capabilities()
                    : new ProcessConfig.Capabilities(null, null, null, null, null, null);
            changed = changed.withCapabilities(sets.withAddedToEverySet(caps));
        }
        if (noNewPrivs) {
            changed = changed.withNoNewPrivileges(true);
        }
        return changed;
    }
}
