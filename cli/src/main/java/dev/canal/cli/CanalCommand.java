package dev.canal.cli;

import dev.canal.cli.image.ImageCommand;
import dev.canal.cli.image.ImagesCommand;
import dev.canal.cli.image.ImportCommand;
import dev.canal.cli.image.LoadCommand;
import dev.canal.cli.image.PullCommand;
import dev.canal.cli.image.RmiCommand;
import dev.canal.images.ImageLibrary;
import dev.canal.images.store.ContentStore;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code canal}: the Docker-style front end. */
@Command(
        name = "canal",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.Canal.class,
        description = "Run Linux containers from images, in pure Java.",
        subcommands = {ImagesCommand.class, RmiCommand.class, ImportCommand.class, LoadCommand.class, ImageCommand.class, PullCommand.class},
        footer = {"", "Canal runs containers with namespaces, cgroups and an overlay root filesystem.",
                "It needs root and Linux. Documentation: docs/ in the source tree."})
public final class CanalCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--root", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Where images, layers and container layers are stored (default: /var/lib/canal).")
    Path root = ContentStore.DEFAULT_ROOT;

    /** Without a subcommand, show what there is, as docker does. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The image library under {@code --root}. */
    public ImageLibrary images() {
        return ImageLibrary.open(root);
    }

    /**
     * The command line with docker's second spelling of the image commands added under
     * {@code canal image}: {@code ls}, {@code rm}, {@code import}, {@code load}.
     */
    public static CommandLine commandLine() {
        var commandLine = new CommandLine(new CanalCommand());
        commandLine.getSubcommands().get("image")
                .addSubcommand("ls", new ImagesCommand())
                .addSubcommand("rm", new RmiCommand())
                .addSubcommand("import", new ImportCommand())
                .addSubcommand("load", new LoadCommand());
        commandLine.setExecutionExceptionHandler(new CanalErrorReport());
        return commandLine;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
