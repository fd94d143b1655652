package dev.canal.cli;

import dev.canal.cli.image.BuildCommand;
import dev.canal.cli.image.ImageCommand;
import dev.canal.cli.image.ImagesCommand;
import dev.canal.cli.image.ImportCommand;
import dev.canal.cli.image.LoadCommand;
import dev.canal.cli.image.LoginCommand;
import dev.canal.cli.image.LogoutCommand;
import dev.canal.cli.image.PullCommand;
import dev.canal.cli.image.PushCommand;
import dev.canal.cli.image.RmiCommand;
import dev.canal.cli.image.SaveCommand;
import dev.canal.cli.image.TagCommand;
import dev.canal.cli.run.CommitCommand;
import dev.canal.cli.run.CreateCommand;
import dev.canal.cli.run.ExecCommand;
import dev.canal.cli.run.InspectCommand;
import dev.canal.cli.run.KillCommand;
import dev.canal.cli.run.LogsCommand;
import dev.canal.cli.run.MonitorCommand;
import dev.canal.cli.run.PsCommand;
import dev.canal.cli.run.RestartCommand;
import dev.canal.cli.run.RmCommand;
import dev.canal.cli.run.RunCommand;
import dev.canal.cli.run.StartCommand;
import dev.canal.cli.run.StatsCommand;
import dev.canal.cli.run.StopCommand;
import dev.canal.cli.run.UpdateCommand;
import dev.canal.engine.Engine;
import dev.canal.images.ImageLibrary;
import dev.canal.images.store.ContentStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code canal}: the Docker-style front end, as the {@code docker} command. Its container commands
 * are a thin front over the engine ({@link Engine}) that canald serves too, on the same data root
 * and exec root by default, so both see the same containers (docs/running-images.md).
 */
@Command(
        name = "canal",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.Canal.class,
        description = "Run Linux containers from images, in pure Java.",
        footer = {
            "",
            "Canal runs containers with namespaces, cgroups and an overlay root filesystem.",
            "It needs root and Linux. Documentation: docs/ in the source tree."
        })
public final class CanalCommand implements Runnable {

    /**
     * canal's commands, in the order its help lists them. Added by {@link #commandLine(String[])}
     * rather than named in the annotation's {@code subcommands}: picocli builds the model of each
     * one it is given, by reflection, before parsing anything, and the whole set took most of a
     * short command's start (docs/start-time.md, step 7).
     */
    private static final List<Class<?>> COMMANDS = List.of(
            RunCommand.class,
            CreateCommand.class,
            PsCommand.class,
            LogsCommand.class,
            ExecCommand.class,
            StartCommand.class,
            StopCommand.class,
            RestartCommand.class,
            KillCommand.class,
            CommitCommand.class,
            InspectCommand.class,
            StatsCommand.class,
            RmCommand.class,
            UpdateCommand.class,
            MonitorCommand.class,
            ImagesCommand.class,
            BuildCommand.class,
            RmiCommand.class,
            ImportCommand.class,
            LoadCommand.class,
            ImageCommand.class,
            PullCommand.class,
            PushCommand.class,
            TagCommand.class,
            SaveCommand.class,
            LoginCommand.class,
            LogoutCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"--data-root", "--root"},
            scope = ScopeType.INHERIT,
            paramLabel = "DIR",
            description = "Images, layers, containers and volumes (default: /var/lib/canal, as canald's).")
    Path root = ContentStore.DEFAULT_ROOT;

    @Option(
            names = {"--exec-root", "--state"},
            scope = ScopeType.INHERIT,
            paramLabel = "DIR",
            description = "Running containers' runtime state and streams (default: /run/canal, as canald's).")
    Path execRoot = Path.of("/run/canal");

    /** Without a subcommand, show what there is, as docker does. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The store root, {@code --root}: images, layers and containers' bundles. */
    public Path root() {
        return root;
    }

    /** The exec root, {@code --exec-root}: what lasts only while containers run. */
    public Path execRoot() {
        return execRoot;
    }

    /** The engine over both roots; close it when done (it has a scheduler thread). */
    public Engine engine() {
        return Engine.open(root, execRoot);
    }

    /** The image library under {@code --root}. */
    public ImageLibrary images() {
        return ImageLibrary.open(root);
    }

    /**
     * The command line for {@code args}: with only the command they name when they name one
     * after canal's own options ({@code canal --root /x ps -a}), with every command otherwise
     * (help, the version, no command, a word that is no command: what needs the whole list).
     */
    public static CommandLine commandLine(String[] args) {
        return commandLine(commandNamed(args).map(List::<Class<?>>of).orElse(COMMANDS));
    }

    /** The command line with every command: what {@code canal --help} lists. */
    static CommandLine commandLine() {
        return commandLine(COMMANDS);
    }

    /**
     * The command {@code args} name, found by picocli itself on canal's own options alone: it
     * parses them up to the first word it does not know. Empty when that word is no command,
     * when help or the version is asked for first, or when a command's name was taken as an
     * option's value on the way ({@code --root ps ps}, {@code --root=ps ps}: a mistake, which
     * picocli reports with every command's usage).
     */
    static Optional<Class<?>> commandNamed(String[] args) {
        var options = new CommandLine(new CanalCommand()).setStopAtUnmatched(true);
        CommandLine.ParseResult parsed;
        try {
            parsed = options.parseArgs(args);
        } catch (CommandLine.ParameterException mistake) {
            return Optional.empty();
        }
        if (parsed.isUsageHelpRequested()
                || parsed.isVersionHelpRequested()
                || parsed.unmatched().isEmpty()) {
            return Optional.empty();
        }
        Map<String, Class<?>> byName = COMMANDS.stream()
                .collect(Collectors.toMap(
                        command -> command.getAnnotation(Command.class).name(), command -> command));
        if (parsed.matchedOptions().stream()
                .flatMap(option -> option.stringValues().stream())
                .anyMatch(byName::containsKey)) {
            return Optional.empty();
        }
        return Optional.ofNullable(byName.get(parsed.unmatched().getFirst()));
    }

    /**
     * The command line with {@code commands}, and docker's second spelling of the image commands
     * added under {@code canal image}: {@code ls}, {@code rm}, {@code import}, {@code load},
     * {@code save}, {@code tag}, {@code pull}, {@code push}.
     */
    private static CommandLine commandLine(List<Class<?>> commands) {
        var commandLine = new CommandLine(new CanalCommand());
        commands.forEach(commandLine::addSubcommand);
        CommandLine image = commandLine.getSubcommands().get("image");
        if (image != null) {
            image.addSubcommand("ls", new ImagesCommand())
                    .addSubcommand("rm", new RmiCommand())
                    .addSubcommand("import", new ImportCommand())
                    .addSubcommand("load", new LoadCommand())
                    .addSubcommand("save", new SaveCommand())
                    .addSubcommand("tag", new TagCommand())
                    .addSubcommand("pull", new PullCommand())
                    .addSubcommand("push", new PushCommand());
        }
        commandLine.setExecutionExceptionHandler(new CanalErrorReport());
        commandLine.setExecutionStrategy(RootRequired.before(new CommandLine.RunLast()));
        // docker run IMAGE ls -l: everything after the image is the container's command line,
        // and a usage error is canal's own failure, 125, as docker's.
        CommandLine run = commandLine.getSubcommands().get("run");
        if (run != null) {
            run.setStopAtPositional(true);
        }
        CommandLine exec = commandLine.getSubcommands().get("exec");
        if (exec != null) {
            exec.setStopAtPositional(true);
        }
        var usual = commandLine.getParameterExceptionHandler();
        commandLine.setParameterExceptionHandler((error, args) -> {
            Integer unknownCommand = UnknownCommand.report(error);
            if (unknownCommand != null) {
                return unknownCommand;
            }
            if (run == null || error.getCommandLine() != run) {
                return usual.handleParseException(error, args);
            }
            run.getErr().println("canal: run: " + error.getMessage() + " (see canal run --help)");
            run.getErr().flush();
            return 125;
        });
        return commandLine;
    }

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }
}
