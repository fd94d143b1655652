package dev.canal.runtime.testing;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.Containers;
import dev.canal.runtime.container.CreateOptions;
import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.Pipe;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** Runs a container to completion as {@code runc run} would, capturing its output. */
public final class ContainerRun {

    /** What a finished container printed and returned. */
    public record Outcome(int exitCode, String stdout, String stderr) {}

    private ContainerRun() {}

    /** create, start, wait, delete; stdin is /dev/null, stdout and stderr are captured. */
    public static Outcome run(Containers containers, String id, Path bundle, EngineChoice engine) {
        try (var devNull = OwnedFd.open("/dev/null", linux_h.O_RDONLY(), 0);
                var out = Pipe.create();
                var err = Pipe.create()) {
            Container container = containers.create(
                    id,
                    bundle,
                    new CreateOptions(
                            engine,
                            new Stdio(
                                    devNull.fd(),
                                    out.writeEnd().fd(),
                                    err.writeEnd().fd())));
            try {
                container.start();
                // The process has its copies now; ours must close for the reader to see EOF.
                out.writeEnd().close();
                err.writeEnd().close();
                CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(err.readEnd()));
                String stdout = readAll(out.readEnd());
                int exitCode = container.waitForExit();
                return new Outcome(exitCode, stdout, stderr.join());
            } finally {
                container.delete(true);
            }
        }
    }

    /** Everything until end of file. */
    public static String readAll(OwnedFd fd) {
        var bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int count; (count = fd.read(buffer, 0, buffer.length)) > 0; ) {
            bytes.write(buffer, 0, count);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
