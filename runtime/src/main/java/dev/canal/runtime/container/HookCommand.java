package dev.canal.runtime.container;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.oci.Hooks.Hook;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.sys.MemoryFile;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.PidFd;
import dev.canal.runtime.sys.Processes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * One hook run to its end, as runc runs one ({@code libcontainer/configs/config.go},
 * {@code Command.Run}): the container's state JSON on its standard input; its standard output
 * and error kept, and shown only in the error if it fails; a hook that outlives its
 * {@code timeout} is killed with SIGKILL and counts as failed.
 *
 * <p>The three streams are memory files (memfd_create(2)), so no thread has to feed or drain a
 * pipe while the hook runs, and a hook that writes a lot cannot block on a full pipe.
 */
final class HookCommand {

    private static final JsonFactory JSON = new JsonFactory();
    /** How much of each output stream an error message quotes. */
    private static final int QUOTED = 1024;

    /** Starts a hook's program with {@code stdio} as its standard streams. */
    @FunctionalInterface
    interface Launcher {
        /** Returns its pid once it runs the program: a child of this JVM, for the caller to reap. */
        int launch(Hook hook, Stdio stdio);
    }

    private HookCommand() {}

    /** Runs hook {@code index} of {@code stage}; throws a {@link ContainerException} saying why if it fails. */
    static void run(HookStage stage, int index, Hook hook, ContainerState state, Launcher launcher) {
        try (var stdin = MemoryFile.holding("canal-hook-state", stateJson(state));
                var stdout = MemoryFile.create("canal-hook-stdout");
                var stderr = MemoryFile.create("canal-hook-stderr")) {
            int pid;
            try {
                pid = launcher.launch(hook, new Stdio(stdin.fd(), stdout.fd(), stderr.fd()));
            } catch (RuntimeException e) {
                throw failed(stage, index, hook, e.getMessage(), e);
            }
            String failure = awaitEnd(pid, hook.timeout());
            if (failure != null) {
                throw failed(
                        stage,
                        index,
                        hook,
                        failure + ", stdout: " + quote(stdout) + ", stderr: " + quote(stderr),
                        null);
            }
        }
    }

    /** The state as a hook reads it on its standard input: {@link ContainerState#write}'s object, unindented. */
    static byte[] stateJson(ContainerState state) {
        var bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), bytes)) {
            state.write(json);
        }
        return bytes.toByteArray();
    }

    /**
     * Waits for the hook and reaps it; returns null if it exited with 0, else what went wrong.
     * With a timeout, a watchdog kills it through a pidfd (pidfd_open(2)), which cannot hit a
     * process that got its pid after it was reaped.
     */
    private static String awaitEnd(int pid, Integer timeoutSeconds) {
        if (timeoutSeconds == null) {
            return exitFailure(Processes.waitForExit(pid));
        }
        try (OwnedFd process = PidFd.open(pid)) {
            var killed = new AtomicBoolean();
            Thread watchdog = Thread.ofVirtual().name("canal-hook-timeout").start(() -> {
                try {
                    Thread.sleep(Duration.ofSeconds(timeoutSeconds));
                    killed.set(PidFd.sendSignal(process, linux_h.SIGKILL()));
                } catch (InterruptedException endedInTime) {
                    // the hook ended first
                }
            });
            int status = Processes.waitForExit(pid);
            watchdog.interrupt();
            joinUninterruptibly(watchdog); // it uses the pidfd, closed on return
            if (killed.get()) {
                return "hook ran past its timeout of " + timeoutSeconds + " s and was killed";
            }
            return exitFailure(status);
        }
    }

    /** runc's wording: {@code error running createRuntime hook #0: exit status 1, stdout: ..., stderr: ...}. */
    private static ContainerException failed(HookStage stage, int index, Hook hook, String reason, Throwable cause) {
        return new ContainerException(
                "error running " + stage.specName() + " hook #" + index + " (" + hook.path() + "): " + reason, cause);
    }

    private static String exitFailure(int status) {
        return status == 0 ? null : "exit status " + status;
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static String quote(OwnedFd output) {
        String text = new String(MemoryFile.contents(output), StandardCharsets.UTF_8).strip();
        return text.length() <= QUOTED ? text : text.substring(0, QUOTED) + "...";
    }
}
