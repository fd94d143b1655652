package dev.canal.engine;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.ExecutedProcess;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.Pipe;
import dev.canal.runtime.sys.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code docker exec}: a new process in a running container, as {@code runc exec --process}
 * starts one. Its process.json starts from the container's own process (same user,
 * capabilities, rlimits, working directory, environment) and takes the exec's settings over it.
 * Its output goes to the caller only: docker does not log exec output.
 */
final class ExecProcess {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** How long the end of an exec waits for its output to drain after it exited. */
    private static final long DRAIN_MILLIS = 2000;

    private ExecProcess() {}

    /** The process.json of {@code spec} in the container whose rootfs is {@code rootfs}. */
    static String json(ContainerRecord record, ExecSpec spec, Path rootfs) {
        ObjectNode process;
        try {
            // config.json lies beside merged/, the rootfs, in the container's directory.
            ObjectNode config = (ObjectNode) JSON.readTree(Files.readString(rootfs.resolveSibling("config.json")));
            process = (ObjectNode) config.get("process");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the container's config.json: " + e.getMessage(), e);
        }
        ArrayNode args = process.putArray("args");
        spec.cmd().forEach(args::add);
        // The container's environment with the exec's -e over it; PATH comes first if it had none.
        List<String> env = new ArrayList<>();
        process.withArrayProperty("env").forEach(variable -> env.add(variable.asString()));
        Environment merged = Environment.base("", false).with(env).with(spec.env());
        ArrayNode envArray = process.putArray("env");
        merged.toList().stream()
                .filter(variable -> !variable.equals("HOSTNAME="))
                .forEach(envArray::add);
        if (spec.workingDir() != null && !spec.workingDir().isEmpty()) {
            process.put("cwd", spec.workingDir());
        }
        if (spec.user() != null && !spec.user().isEmpty()) {
            UserResolution user = UserResolution.resolve(spec.user(), rootfs);
            ObjectNode node = process.putObject("user").put("uid", user.uid()).put("gid", user.gid());
            if (!user.additionalGids().isEmpty()) {
                user.additionalGids().forEach(node.putArray("additionalGids")::add);
            }
        }
        if (spec.privileged()) {
            ObjectNode capabilities = process.putObject("capabilities");
            for (String set : List.of("bounding", "effective", "permitted")) {
                ArrayNode names = capabilities.putArray(set);
                Capabilities.of(List.of(), List.of(), true).forEach(names::add);
            }
        }
        process.put("terminal", spec.tty());
        // The container's start size is not the exec's: the client resizes it (POST /exec/{id}/resize).
        process.remove("consoleSize");
        // The terminal's size from the first byte, as for a container's first process: a resize
        // request can only follow the start, after a program has read a size of 0x0.
        if (spec.tty() && spec.consoleSize() != null) {
            process.putObject("consoleSize")
                    .put("height", spec.consoleSize().get(0))
                    .put("width", spec.consoleSize().get(1));
        }
        return JSON.writeValueAsString(process);
    }

    /**
     * Starts the exec in {@code container} and returns at once; its output goes to {@code sink}
     * and, when it has exited and its output is drained, the session's exit completes and the
     * sink ends. With a terminal both streams come from the terminal's master side; without,
     * from two pipes, and stdin is a pipe with {@code -i} or /dev/null.
     */
    static void start(Container container, String process, ExecSession session, OutputSink sink) {
        ExecSpec spec = session.spec();
        if (spec.tty()) {
            ExecutedProcess started = container.exec(process, Stdio.inherit());
            OwnedFd master = started.terminal();
            session.running(started.pid(), master, spec.attachStdin() ? master : null);
            Thread pump = pump(new OutputPump(master, "stdout", null, sink), session, "tty");
            reap(started.pid(), List.of(pump), session, sink, master, null);
            return;
        }
        Pipe stdout = Pipe.create();
        Pipe stderr = Pipe.create();
        Pipe stdin = spec.attachStdin() ? Pipe.create() : null;
        OwnedFd devNull = stdin == null ? OwnedFd.open("/dev/null", linux_h.O_RDONLY(), 0) : null;
        ExecutedProcess started;
        try {
            int in = stdin != null ? stdin.readEnd().fd() : devNull.fd();
            started = container.exec(
                    process,
                    new Stdio(in, stdout.writeEnd().fd(), stderr.writeEnd().fd()));
        } catch (RuntimeException e) {
            stdout.close();
            stderr.close();
            if (stdin != null) {
                stdin.close();
            }
            throw e;
        } finally {
            if (devNull != null) {
                devNull.close();
            }
        }
        // The process has its copies: ours would keep the pipes from ever reaching end of file.
        stdout.writeEnd().close();
        stderr.writeEnd().close();
        if (stdin != null) {
            stdin.readEnd().close();
        }
        session.running(started.pid(), null, stdin == null ? null : stdin.writeEnd());
        List<Thread> pumps = List.of(
                pump(new OutputPump(stdout.readEnd(), "stdout", null, sink), session, "stdout"),
                pump(new OutputPump(stderr.readEnd(), "stderr", null, sink), session, "stderr"));
        reap(started.pid(), pumps, session, sink, stdout.readEnd(), stderr.readEnd());
    }

    private static Thread pump(OutputPump pump, ExecSession session, String stream) {
        return Thread.ofPlatform()
                .daemon()
                .name("canal-exec-" + session.id().substring(0, 12) + "-" + stream)
                .start(pump);
    }

    /**
     * Waits for the exec's process on a thread of its own (it is this JVM's child: the runtime
     * starts it from here), lets the pumps drain, closes what the exec owned and completes it.
     */
    private static void reap(int pid, List<Thread> pumps, ExecSession session, OutputSink sink, OwnedFd... owned) {
        Thread.ofPlatform()
                .daemon()
                .name("canal-exec-wait-" + session.id().substring(0, 12))
                .start(() -> {
                    int status = Processes.waitForExit(pid);
                    for (Thread pump : pumps) {
                        try {
                            pump.join(DRAIN_MILLIS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    for (OwnedFd fd : owned) {
                        if (fd != null) {
                            fd.close();
                        }
                    }
                    // With a terminal the input is the master side, closed above.
                    if (session.input() != null && session.terminal() == null) {
                        session.input().close();
                    }
                    session.exit().complete(status);
                    sink.end();
                });
    }
}
