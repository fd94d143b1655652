package dev.canal.cli;

import dev.canal.runtime.spawn.clone.CloneSpawner;
import java.util.Arrays;
import java.util.Set;

/**
 * Starts the clone engine's warm-up at once for the commands that start a container process.
 * With the seccomp filter that podman's, Docker's and {@code canal run}'s configs carry, those
 * take the clone engine, whose warm-up (C2 compiling the child path, about a second on two cores)
 * then overlaps with parsing the command line and reading and checking the config, instead of
 * following them. A word that only looks like such a command (a container named "run") costs a
 * wasted warm-up on a background thread, nothing else.
 */
public final class EarlyWarmUp {

    private EarlyWarmUp() {}

    /** Starts the warm-up if any of {@code args} is one of {@code commands}. */
    public static void forCommands(String[] args, Set<String> commands) {
        if (Arrays.stream(args).anyMatch(commands::contains)) {
            CloneSpawner.warmUpInBackground();
        }
    }
}
