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

/**
 * The standard streams of a container without a terminal. Output goes through named fifos
 * (fifo(7)) in {@code <exec root>/io/<id>/}, not anonymous pipes: a daemon restarted after a
 * crash can open them again by name and keep reading a container it re-adopts
 * ({@link #reopen}), as containerd's shim keeps fifos for dockerd. Stdin, when asked for, is a
 * plain pipe: it does not survive the daemon, as in docker without {@code --live-restore}.
 */
final class ContainerIo implements AutoCloseable {

    private static final String STDOUT = "stdout";
    private static final String STDERR = "stderr";

    /** Owner-only fifos: the output may be as secret as the container's files. */
    private static final int FIFO_MODE = 0600;

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

    /** Makes the fifos in {@code directory} and opens both ends; with {@code input} a stdin pipe too. */
    static ContainerIo create(Path directory, boolean input) {
        try {
            Files.createDirectories(directory);
            try (OwnedFd parent = OwnedFd.open(directory.toString(), linux_h.O_PATH() | linux_h.O_DIRECTORY(), 0)) {
                for (String name : new String[] {STDOUT, STDERR}) {
                    Files.deleteIfExists(directory.resolve(name));
                    PathAt.mknod(parent, name, linux_h.S_IFIFO() | FIFO_MODE, 0);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + directory + ": " + e.getMessage(), e);
        }
        // The child's ends first, read-write: opening a fifo O_RDWR never blocks (fifo(7)),
        // while O_RDONLY would wait for a writer. With them open, ours open at once too.
        OwnedFd stdoutChild = OwnedFd.open(directory.resolve(STDOUT).toString(), linux_h.O_RDWR(), 0);
        OwnedFd stderrChild = OwnedFd.open(directory.resolve(STDERR).toString(), linux_h.O_RDWR(), 0);
        OwnedFd stdout = OwnedFd.open(directory.resolve(STDOUT).toString(), linux_h.O_RDONLY(), 0);
        OwnedFd stderr = OwnedFd.open(directory.resolve(STDERR).toString(), linux_h.O_RDONLY(), 0);
        OwnedFd stdin = null;
        OwnedFd stdinChild;
        if (input) {
            Pipe pipe = Pipe.create();
            stdinChild = pipe.readEnd();
            stdin = pipe.writeEnd();
        } else {
            // Without -i, as in docker: reads see end of file at once.
            stdinChild = OwnedFd.open("/dev/null", linux_h.O_RDONLY(), 0);
        }
        return new ContainerIo(directory, stdoutChild, stderrChild, stdinChild, stdout, stderr, stdin);
    }

    /**
     * Opens the read ends of a re-adopted container's fifos. Non-blocking: if the container has
     * ended meanwhile there is no writer, and a blocking open(2) would wait forever.
     */
    static ContainerIo reopen(Path directory) {
        OwnedFd stdout =
                OwnedFd.open(directory.resolve(STDOUT).toString(), linux_h.O_RDONLY() | linux_h.O_NONBLOCK(), 0);
        OwnedFd stderr =
                OwnedFd.open(directory.resolve(STDERR).toString(), linux_h.O_RDONLY() | linux_h.O_NONBLOCK(), 0);
        return new ContainerIo(directory, null, null, null, stdout, stderr, null);
    }

    /** The descriptors the container's process gets as 0, 1 and 2. */
    Stdio childStdio() {
        return new Stdio(stdinChild.fd(), stdoutChild.fd(), stderrChild.fd());
    }

    /**
     * Closes the engine's copies of the child's ends once the container has them: only then
     * does the container's last close of its output reach our read ends as end of file.
     */
    void closeChildEnds() {
        for (OwnedFd fd : new OwnedFd[] {stdoutChild, stderrChild, stdinChild}) {
            if (fd != null) {
                fd.close();
            }
        }
        stdoutChild = null;
        stderrChild = null;
        stdinChild = null;
    }

    /** Closes every end and removes the fifos' directory. */
    @Override
    public void close() {
        closeChildEnds();
        for (OwnedFd fd : new OwnedFd[] {stdout, stderr, stdin}) {
            if (fd != null) {
                fd.close();
            }
        }
        FileTrees.delete(directory);
    }
}
