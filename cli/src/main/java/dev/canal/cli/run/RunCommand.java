package dev.canal.cli.run;

import dev.canal.cli.CanalCommand;
import dev.canal.cli.image.Commands;
import dev.canal.engine.ContainerRecord;
import dev.canal.engine.ContainerSpec;
import dev.canal.engine.Engine;
import dev.canal.engine.ExitStatus;
import dev.canal.engine.StartFailedException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code canal run IMAGE [COMMAND...]}, as {@code docker run}: the image pulled if missing, then
 * the options turned into a container spec that the engine creates and starts ({@link Engine},
 * docs/running-images.md). In the foreground canal is the container's monitor: it copies the
 * container's streams to and from its own, passes signals on and exits with the container's
 * status. With {@code -d} a {@link DetachedMonitor} stays with the container and canal prints
 * its id. A failure of canal's own is one line {@code canal: ...} and exit status 125 (126 or 127
 * if the program cannot be run, as docker's); with {@code --rm} nothing is left behind.
 */
@Command(
        name = "run",
        sortOptions = false,
        description = "Run a command in a new container.",
        footer = {
            "",
            "Networking: the container has a network namespace of its own with only",
            "the loopback interface (docker's --network none), with --network host",
            "the host's, with --network container:NAME that of another running container.",
            "Exit status: the command's; 125 if canal failed, 126 if the command",
            "cannot be run, 127 if it was not found, 128+N if a signal N ended it."
        })
public final class RunCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--help", usageHelp = true, description = "Show this help (-h is --hostname, as in docker).")
    boolean help;

    @Option(
            names = {"-d", "--detach"},
            description = "Run it in the background and print its id (a canal monitor stays with it).")
    boolean detach;

    @Mixin
    CreateOptions options;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (!detach && options.process.refuseInputThatIsNoTerminal(err)) {
            return 1;
        }
        CanalCommand canal = Commands.canal(spec);
        try (Engine engine = canal.engine()) {
            ContainerSpec container = options.containerSpec();
            options.pullIfMissing(engine.images(), err);
            ContainerRecord record = engine.create(container, options.name);
            if (!detach) {
                return new ForegroundRun(
                                engine, record.id(), options.process.interactive, options.process.tty, options.remove)
                        .await();
            }
            DetachedMonitor.Report report = DetachedMonitor.start(canal, record.id());
            if (report.status() != 0) {
                return fail(err, report.message(), report.status());
            }
            spec.commandLine().getOut().println(record.id());
            spec.commandLine().getOut().flush();
            return 0;
        } catch (StartFailedException e) {
            return fail(err, e.getMessage(), e.status());
        } catch (RuntimeException e) {
            return fail(err, e.getMessage() == null ? e.toString() : e.getMessage(), ExitStatus.CANAL_FAILED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(err, "interrupted", ExitStatus.CANAL_FAILED);
        }
    }

    /** A failure of canal's own: one line on standard error, and docker's exit status for it. */
    static int fail(PrintWriter err, String message, int status) {
        err.println("canal: " + message);
        err.flush();
        return status;
    }
}
