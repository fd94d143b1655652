package dev.canal.engine.build;

import java.util.List;

/**
 * One build stage: its FROM and the instructions after it, up to the next FROM. A multi-stage
 * Dockerfile's later stages can COPY {@code --from} an earlier one by name or index.
 */
public record Stage(Instruction.From from, List<Instruction> instructions) {

    public Stage {
        instructions = List.copyOf(instructions);
    }

    /** The FROM image as written ({@code $VARIABLES} from the meta ARGs not yet expanded). */
    public String baseImage() {
        return from.image();
    }

    /** The {@code AS} name, lower-cased, or null. */
    public String name() {
        return from.name();
    }
}
