package dev.canal.cli.run;

import dev.canal.engine.ContainerRecord;
import dev.canal.engine.Engine;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Parameters;

/**
 * The {@code CONTAINER...} arguments of {@code start}, {@code stop}, {@code restart},
 * {@code kill} and {@code rm} (a picocli mixin), and docker's way of going through them: each one
 * in turn, its name or id printed as given once done, or {@code canal: why} if not, the others
 * going on; exit status 1 if any failed.
 */
final class ContainerArguments {

    @Parameters(
            arity = "1..*",
            paramLabel = "CONTAINER",
            description = "Container names or ids (or unique id prefixes).")
    List<String> containers;

    int forEach(Engine engine, PrintWriter out, PrintWriter err, Consumer<ContainerRecord> action) {
        int status = 0;
        for (String given : containers) {
            try {
                action.accept(engine.find(given));
                out.println(given);
            } catch (RuntimeException e) {
                err.println("canal: " + e.getMessage());
                status = 1;
            }
            out.flush();
            err.flush();
        }
        return status;
    }
}
