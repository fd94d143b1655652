package dev.canal.cli.run;

import dev.canal.cli.CanalCommand;
import dev.canal.cli.image.Commands;
import dev.canal.engine.ContainerRecord;
import dev.canal.engine.ContainerSpec;
import dev.canal.engine.Engine;
import dev.canal.engine.StartFailedException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code canal start CONTAINER...}, as {@code docker start}: each stopped container runs again in
 * the background, with a {@link DetachedMonitor} of its own; one that runs already is left as it
 * is. Prints each name or id as given. With {@code -a} (one container) canal attaches to its
 * output, and with {@code -i} its input, before starting it, and returns its exit status, as
 * {@code canal run} in the foreground does ({@link ForegroundRun}).
 */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Start stopped containers.")
public final class StartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-a", "--attach"},
            description = "Attach to the container's output and return its exit status.")
    boolean attach;

    @Option(
            names = {"-i", "--interactive"},
            description = "Attach the container's standard input (with its -i).")
    boolean interactive;

    @Mixin
    ContainerArguments containers;

    @Override
    public Integer call() throws InterruptedException {
        CanalCommand canal = Commands.canal(spec);
        if (attach || interactive) {
            return startAttached(canal);
        }
        try (Engine engine = canal.engine()) {
            return containers.forEach(
                    engine, spec.commandLine().getOut(), spec.commandLine().getErr(), record -> {
                        if (!engine.view(record).state().running()) {
                            startDetached(canal, record.id());
                        }
                    });
        }
    }

    /**
     * {@code -a} / {@code -i}: this process becomes the container's monitor, as for a foreground
     * run. docker attaches to a running one instead; canal's output copy lives in the process
     * that started it, so a running container is refused with where its output can be read.
     */
    private int startAttached(CanalCommand canal) throws InterruptedException {
        if (containers.containers.size() != 1) {
            throw new IllegalArgumentException("you cannot start and attach multiple containers at once");
        }
        try (Engine engine = canal.engine()) {
            ContainerRecord record = engine.find(containers.containers.getFirst());
            if (engine.view(record).state().running()) {
                throw new IllegalStateException("container " + containers.containers.getFirst()
                        + " is already running: canal logs -f shows its output");
            }
            ContainerSpec container = record.specOrDefault();
            boolean input = interactive && container.openStdin();
            if (ProcessOptions.refuseInputThatIsNoTerminal(
                    input, container.tty(), spec.commandLine().getErr())) {
                return 1;
            }
            return new ForegroundRun(
                            engine,
                            record.id(),
                            input,
                            container.tty(),
                            container.host().autoRemove())
                    .await();
        } catch (StartFailedException e) {
            spec.commandLine().getErr().println("canal: " + e.getMessage());
            return e.status();
        }
    }

    /** Starts the container under a monitor of its own; its failure as docker words it. */
    static void startDetached(CanalCommand canal, String id) {
        DetachedMonitor.Report report = DetachedMonitor.start(canal, id);
        if (report.status() != 0) {
            throw new IllegalStateException(report.message());
        }
    }
}
