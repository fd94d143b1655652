package dev.canal.cli.oci;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code create}: set the container up and hold its process before exec, then exit. The
 * process keeps this command's standard streams, which is how podman's conmon and containerd's
 * shim collect a container's output.
 */
@Command(name = "create", description = "Create a container; its process waits for start.")
final class CreateCommand extends ContainerId implements Callable<Integer> {

    @Mixin
    CreationOptions creation;

    @Option(names = "--no-new-keyring", description = "Accepted: Canal creates no session keyring.")
    boolean noNewKeyring;

    @Override
    public Integer call() throws IOException {
        creation.create(global, id);
        CanalOciCommand.processHeld = true;
        return 0;
    }
}
