package dev.canal.cli.oci;

import dev.canal.runtime.container.ContainerState;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultPrettyPrinter;

/**
 * The state JSON as {@code canal-oci state} prints it: the text a {@code JsonMapper} with
 * {@code INDENT_OUTPUT} writes for a {@link ContainerState}, written here with Jackson's streaming
 * generator and the same default pretty printer. Building a mapper and introspecting the record
 * cost more than the rest of a {@code state} command once picocli is out of the way
 * (docs/start-time.md); StateJsonTest keeps the two texts equal.
 */
final class StateJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    /** What databind's INDENT_OUTPUT asks of a generator: a fresh default pretty printer. */
    private static final ObjectWriteContext INDENTED = new ObjectWriteContext.Base() {
        @Override
        public PrettyPrinter getPrettyPrinter() {
            return new DefaultPrettyPrinter();
        }
    };

    private StateJson() {}

    /** {@code state}'s output: one state. */
    static String of(ContainerState state) {
        return indented(json -> state.write(json));
    }

    /** {@code list --format json}'s output: an array of states. */
    static String of(List<ContainerState> states) {
        return indented(json -> {
            json.writeStartArray();
            for (ContainerState state : states) {
                state.write(json);
            }
            json.writeEndArray();
        });
    }

    private static String indented(Consumer<JsonGenerator> body) {
        var text = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(INDENTED, text)) {
            body.accept(json);
        }
        return text.toString();
    }
}
