package dev.canal.cli.oci;

import dev.canal.cli.VersionInfo;
import dev.canal.runtime.container.Containers;
import dev.canal.runtime.sys.Processes;
import java.nio.file.Path;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code canal-oci}: an OCI runtime with runc's command line, for podman, dockerd and
 * containerd to drive. The global options are runc's; each command is its own class.
 */
@Command(
        name = "canal-oci",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.CanalOci.class,
        description = "An OCI runtime with runc's command line, in pure Java.",
        subcommands = {
            SpecCommand.class,
            CreateCommand.class,
            StartCommand.class,
            StateCommand.class,
            KillCommand.class,
            DeleteCommand.class,
            ListCommand.class,
            RunCommand.class,
            ExecCommand.class,
            PauseCommand.class,
            ResumeCommand.class,
            UpdateCommand.class,
            EventsCommand.class,
            PsCommand.class,
            FeaturesCommand.class
        })
public final class CanalOciCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--root",
            defaultValue = "/run/canal",
            description = "Where container state is kept (default: ${DEFAULT-VALUE}).")
    Path root;

    @Option(names = "--log", description = "Also write errors to this file.")
    Path log;

    @Option(names = "--log-format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    String logFormat;

    @Option(names = "--debug", description = "Accepted for runc compatibility.")
    boolean debug;

    @Option(names = "--systemd-cgroup", description = "Not supported: Canal manages cgroups itself.")
    boolean systemdCgroup;

    @Option(
            names = "--rootless",
            defaultValue = "auto",
            description = "Accepted for runc compatibility (true, false, auto).")
    String rootless;

    /** Set by a create that succeeded: its container's process is held by a thread in native code. */
    static boolean processHeld;

    /** Without a command, runc prints its help; so does canal-oci. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The containers under {@code --root}. */
    Containers containers() {
        if (systemdCgroup) {
            throw new IllegalArgumentException("--systemd-cgroup: the systemd cgroup driver is not supported");
        }
        return new Containers(root);
    }

    public static void main(String[] args) {
        OptionalInt quick = QuickCommands.run(args);
        int status = quick.isPresent() ? quick.getAsInt() : execute(args);
        System.out.flush();
        System.err.flush();
        // A created container's first process is held by a thread still inside posix_spawn(3):
        // System.exit would wait for it, and halt still waits 300 ms for threads in native code,
        // so a create ends with exit_group(2) (docs/start-time.md, step 12). The process stays
        // held either way. Other commands halt: state links no downcall, and need not.
        if (processHeld) {
            Processes.exitGroup(status);
        }
        Runtime.getRuntime().halt(status);
    }

    /** Parses {@code args} with picocli and runs the command they name; returns the exit status. */
    private static int execute(String[] args) {
        var command = new CanalOciCommand();
        var commandLine = new CommandLine(command);
        var errorReport = new ErrorReport(command);
        commandLine.setExecutionExceptionHandler((error, failed, parsed) -> errorReport.report(error, failed.getErr()));
        // As runc: options end at the container id, so the program's own (sh -c) stay its own.
        commandLine.getSubcommands().get("exec").setStopAtPositional(true);
        commandLine.getSubcommands().get("ps").setStopAtPositional(true);
        return commandLine.execute(args);
    }
}
