package dev.canal.runtime.testing;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.container.Containers;
import dev.canal.runtime.container.CreateOptions;
import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.sys.OwnedFd;
import java.nio.file.Path;

/**
 * A separate JVM that creates a container and exits, leaving it held: the first half of
 * "create in one process, start from another". Arguments: state root, id, bundle, engine,
 * output file for the container's stdout and stderr, and "create" or "run". With "run" it
 * also starts the container, waits for it and exits with its status: the first container of a
 * fresh JVM, when no class the spawn path needs has been loaded yet.
 */
public final class CreateContainerMain {

    private CreateContainerMain() {}

    public static void main(String[] args) {
        try (var output = OwnedFd.open(args[4], linux_h.O_WRONLY() | linux_h.O_CREAT() | linux_h.O_TRUNC(), 0644)) {
            var container = new Containers(Path.of(args[0]))
                    .create(
                            args[1],
                            Path.of(args[2]),
                            new CreateOptions(EngineChoice.valueOf(args[3]), new Stdio(0, output.fd(), output.fd())));
            if (args[5].equals("run")) {
                container.start();
                int status = container.waitForExit();
                container.delete(false);
                System.exit(status);
            }
        }
        System.out.flush();
        // The spawning thread is still blocked in posix_spawn(3) while the process is held; halt
        // rather than wait for it, as the CLI will.
        Runtime.getRuntime().halt(0);
    }
}
