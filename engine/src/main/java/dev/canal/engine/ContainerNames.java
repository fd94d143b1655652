package dev.canal.engine;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Names for containers created without {@code --name}: "adjective_scientist", after docker's
 * namesgenerator (which names "eager_lovelace" and the like). Uniqueness is not this class's
 * concern: {@link Engine} claims the name and draws again when it is taken.
 */
public final class ContainerNames {

    private static final List<String> ADJECTIVES = List.of(
            "agile", "bold", "brave", "calm", "clever", "eager", "gentle", "happy", "keen", "lucid", "nimble", "quiet",
            "serene", "sharp", "steady", "swift", "tidy", "vivid", "wise", "zealous");

    private static final List<String> SCIENTISTS = List.of(
            "hopper",
            "lovelace",
            "turing",
            "noether",
            "curie",
            "dijkstra",
            "knuth",
            "liskov",
            "ritchie",
            "thompson",
            "torvalds",
            "hamilton",
            "babbage",
            "shannon",
            "kernighan",
            "allen",
            "goldberg",
            "mccarthy",
            "lamport",
            "wing");

    private ContainerNames() {}

    /** One of the 400 names, drawn uniformly. */
    public static String random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "_"
                + SCIENTISTS.get(random.nextInt(SCIENTISTS.size()));
    }
}
