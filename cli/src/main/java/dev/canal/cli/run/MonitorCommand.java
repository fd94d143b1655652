package dev.canal.cli.run;

import dev.canal.cli.CanalCommand;
import dev.canal.cli.image.Commands;
import dev.canal.engine.ContainerView;
import dev.canal.engine.Engine;
import dev.canal.engine.NoSuchObjectException;
import dev.canal.engine.StartFailedException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code canal monitor ID}, hidden: the process {@link DetachedMonitor} leaves behind for a
 * detached container, in the place of dockerd's containerd-shim or podman's conmon. It starts the
 * container through the engine, which then holds the container's run lock, copies its output to
 * the log and records its exit; it reports the start on standard output ({@code started}, or
 * {@code failed STATUS MESSAGE}) and stays until the container has ended for good (exited,
 * removed with {@code --rm}, no restart pending).
 */
@Command(name = "monitor", hidden = true, description = "Start a container and stay with it (canal run -d).")
public final class MonitorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Override
    public Integer call() throws InterruptedException {
        CanalCommand canal = Commands.canal(spec);
        PrintStream report = System.out;
        try (Engine engine = canal.engine()) {
            String id = engine.find(container).id();
            CompletableFuture<Integer> removed = AutoRemoval.awaited(
                    engine, id, engine.find(id).specOrDefault().host().autoRemove());
            try {
                engine.start(id);
            } catch (StartFailedException e) {
                report.println("failed " + e.status() + " " + oneLine(e));
                return e.status();
            } catch (RuntimeException e) {
                report.println("failed 1 " + oneLine(e));
                return 1;
            }
            report.println(DetachedMonitor.STARTED);
            report.close();
            while (stillRunning(engine, id)) {
                engine.waitFor(id, "not-running").join();
                // A restart policy may run it again: its delay is the engine's (scheduleRestart).
                Thread.sleep(100);
            }
            AutoRemoval.await(engine, id, removed);
            return 0;
        }
    }

    private static boolean stillRunning(Engine engine, String id) {
        try {
            ContainerView.State state = engine.inspect(id).state();
            return state.running() || state.restarting();
        } catch (NoSuchObjectException removedAlready) {
            return false;
        }
    }

    private static String oneLine(Exception e) {
        return String.valueOf(e.getMessage()).replace('\n', ' ');
    }
}
