package dev.canal.cli.run;

import dev.canal.cli.image.Commands;
import dev.canal.engine.Engine;
import dev.canal.engine.InspectDocument;
import dev.canal.engine.NoSuchObjectException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * {@code canal inspect CONTAINER...}, as {@code docker inspect}: a JSON array with each
 * container's document, the one canald serves at {@code GET /containers/{id}/json}
 * ({@link InspectDocument}). One it cannot find is left out, with {@code canal: No such object}
 * on standard error and exit status 1, as docker's. With {@code -f TEMPLATE}, each document goes
 * through a {@link GoTemplate} instead, one line per container.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show containers' details as JSON.")
public final class InspectCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Laid out as the docker CLI's json.MarshalIndent with four spaces: {@code "Key": value}, {@code []}. */
    private static final DefaultPrettyPrinter DOCKERS_LAYOUT = new DefaultPrettyPrinter(
                    Separators.createDefaultInstance()
                            .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                            .withObjectEmptySeparator("")
                            .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("    ", "\n"))
            .withArrayIndenter(new DefaultIndenter("    ", "\n"));

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-f", "--format"},
            paramLabel = "TEMPLATE",
            description = "Print each container through a Go template, e.g. '{{.State.Pid}}' or '{{json .Config}}'.")
    String format;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER", description = "Container names or ids.")
    List<String> containers;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        GoTemplate template = format == null ? null : GoTemplate.parse(format);
        ArrayNode documents = JSON.createArrayNode();
        int status = 0;
        try (Engine engine = Commands.canal(spec).engine()) {
            for (String given : containers) {
                try {
                    documents.add(InspectDocument.of(engine.inspect(given), engine));
                } catch (NoSuchObjectException e) {
                    err.println("canal: No such object: " + given);
                    status = 1;
                }
            }
        }
        if (template == null) {
            spec.commandLine()
                    .getOut()
                    .println(JSON.writer().with(DOCKERS_LAYOUT).writeValueAsString(documents));
        } else {
            documents.values().forEach(document -> spec.commandLine().getOut().println(template.execute(document)));
        }
        spec.commandLine().getOut().flush();
        err.flush();
        return status;
    }
}
