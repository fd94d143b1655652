package dev.canal.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code canal}: the Docker-style front end. Its subcommands arrive with the images work. */
@Command(
        name = "canal",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.Canal.class,
        description = "Run Linux containers from images, in pure Java.",
        subcommands = {dev.canal.cli.image.PullCommand.class},
        footer = {"", "Canal runs containers with namespaces, cgroups and an overlay root filesystem.",
                "It needs root and Linux. Documentation: docs/ in the source tree."})
public final class CanalCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a subcommand, show what there is, as docker does. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CanalCommand()).execute(args));
    }
}
