package dev.canal.runtime.container;

import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.Stdio;

/**
 * How to create a container.
 *
 * @param engine which engine creates its first process
 * @param stdio  the descriptors that become its standard streams
 */
public record CreateOptions(EngineChoice engine, Stdio stdio) {

    /** The automatic engine, the JVM's own standard streams. */
    public static CreateOptions defaults() {
        return new CreateOptions(EngineChoice.AUTO, Stdio.inherit());
    }
}
