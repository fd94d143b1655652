package dev.canal.cli.image;

import dev.canal.cli.CanalCommand;
import picocli.CommandLine.Model.CommandSpec;

/** What the image commands share: finding the {@code canal} command, whose {@code --data-root} names the store. */
public final class Commands {

    private Commands() {}

    /** The top-level {@code canal} command above {@code spec}, however deeply nested ({@code canal image prune}). */
    public static CanalCommand canal(CommandSpec spec) {
        for (CommandSpec current = spec; current != null; current = current.parent()) {
            if (current.userObject() instanceof CanalCommand canal) {
                return canal;
            }
        }
        throw new IllegalStateException(spec.qualifiedName() + " is not under the canal command");
    }
}
