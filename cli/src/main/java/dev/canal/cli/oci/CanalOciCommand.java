package dev.canal.cli.oci;

import dev.canal.cli.VersionInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code canal-oci}: an OCI runtime with runc's command line, for podman, dockerd and
 * containerd to drive. Its lifecycle commands arrive with the OCI runtime work.
 */
@Command(
        name = "canal-oci",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.CanalOci.class,
        description = "An OCI runtime with runc's command line, in pure Java.")
public final class CanalOciCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a command, runc prints its help; so does canal-oci. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CanalOciCommand()).execute(args));
    }
}
