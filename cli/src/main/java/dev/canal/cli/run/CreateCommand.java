package dev.canal.cli.run;

import dev.canal.cli.image.Commands;
import dev.canal.engine.ContainerRecord;
import dev.canal.engine.Engine;
import dev.canal.engine.ExitStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code canal create IMAGE [COMMAND...]}, as {@code docker create}: {@code canal run}'s
 * options ({@link CreateOptions}) make a container that is not started; its id is printed, and
 * {@code canal start} runs it. Bad options fail with one line and exit status 125, leaving no
 * container behind.
 */
@Command(name = "create", sortOptions = false, description = "Create a new container without starting it.")
public final class CreateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--help", usageHelp = true, description = "Show this help (-h is --hostname, as in docker).")
    boolean help;

    @Mixin
    CreateOptions options;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try (Engine engine = Commands.canal(spec).engine()) {
            var container = options.containerSpec();
            options.pullIfMissing(engine.images(), err);
            ContainerRecord record = engine.create(container, options.name);
            spec.commandLine().getOut().println(record.id());
            spec.commandLine().getOut().flush();
            return 0;
        } catch (RuntimeException e) {
            return RunCommand.fail(
                    err, e.getMessage() == null ? e.toString() : e.getMessage(), ExitStatus.CANAL_FAILED);
        }
    }
}
