package dev.canal.engine;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

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

    public static String random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "_"
                + SCIENTISTS.get(random.nextInt(SCIENTISTS.size()));
    }
}
