package dev.canal.engine;

import dev.canal.bindings.linux.linux_h;
import dev.canal.images.store.FileTrees;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.PathAt;
import dev.canal.runtime.sys.Pipe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

final class ContainerIo implements AutoCloseable {
    private final Path directory;
    private OwnedFd stdoutChild;
    private OwnedFd stderrChild;
    private OwnedFd stdinChild;
    final OwnedFd stdout;
    final OwnedFd stderr;
    final OwnedFd stdin;

    private ContainerIo(
            Path directory,
            OwnedFd stdoutChild,
            OwnedFd stderrChild,
            OwnedFd stdinChild,
            OwnedFd stdout,
            OwnedFd stderr,
            OwnedFd stdin) {
        this.directory = directory;
        this.stdoutChild = stdoutChild;
        this.stderrChild = stderrChild;
        this.stdinChild = stdinChild;
        this.stdout = stdout;
        this.stderr = stderr;
        this.stdin = stdin;
    }

    static ContainerIo create(Path directory, boolean input) {
        try {
            Files.createDirectories(directory);
            OwnedFd parent = OwnedFd.open(directory.toString(), linux_h.O_PATH() | linux_h.O_DIRECTORY(), 0);

            try {
                for (String name : new String[] {"stdout", "stderr"}) {
                    Files.deleteIfExists(directory.resolve(name));
                    PathAt.mknod(parent, name, linux_h.S_IFIFO() | 384, 0L);
                }
            } catch (Throwable var10) {
                if (parent != null) {
                    try {
                        parent.close();
                    } catch (Throwable var9) {
                        var10.addSuppressed(var9);
                    }
                }

                throw var10;
            }

            if (parent != null) {
                parent.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + directory + ": " + e.getMessage(), e);
        }

        OwnedFd stdoutChild = OwnedFd.open(directory.resolve("stdout").toString(), linux_h.O_RDWR(), 0);
        OwnedFd stderrChild = OwnedFd.open(directory.resolve("stderr").toString(), linux_h.O_RDWR(), 0);
        OwnedFd stdout = OwnedFd.open(directory.resolve("stdout").toString(), linux_h.O_RDONLY(), 0);
        OwnedFd stderr = OwnedFd.open(directory.resolve("stderr").toString(), linux_h.O_RDONLY(), 0);
        OwnedFd stdin = null;
        OwnedFd stdinChild;
        if (input) {
            Pipe pipe = Pipe.create();
            stdinChild = pipe.readEnd();
            stdin = pipe.writeEnd();
        } else {
            stdinChild = OwnedFd.open("/dev/null", linux_h.O_RDONLY(), 0);
        }

        return new ContainerIo(directory, stdoutChild, stderrChild, stdinChild, stdout, stderr, stdin);
    }

    static ContainerIo reopen(Path directory) {
        OwnedFd stdout =
                OwnedFd.open(directory.resolve("stdout").toString(), linux_h.O_RDONLY() | linux_h.O_NONBLOCK(), 0);
        OwnedFd stderr =
                OwnedFd.open(directory.resolve("stderr").toString(), linux_h.O_RDONLY() | linux_h.O_NONBLOCK(), 0);
        return new ContainerIo(directory, null, null, null, stdout, stderr, null);
    }

    Stdio childStdio() {
        return new Stdio(this.stdinChild.fd(), this.stdoutChild.fd(), this.stderrChild.fd());
    }

    void closeChildEnds() {
        for (OwnedFd fd : new OwnedFd[] {this.stdoutChild, this.stderrChild, this.stdinChild}) {
            if (fd != null) {
                fd.close();
            }
        }

        this.stdoutChild = this.stderrChild = this.stdinChild = null;
    }

    @Override
    public void close() {
        this.closeChildEnds();

        for (OwnedFd fd : new OwnedFd[] {this.stdout, this.stderr, this.stdin}) {
            if (fd != null) {
                fd.close();
            }
        }

        FileTrees.delete(this.directory);
    }
}
