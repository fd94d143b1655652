package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContainerNamesTest {

    @Test
    void namesAreAdjectiveUnderscoreScientistAndValidContainerNames() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String name = ContainerNames.random();
            assertTrue(name.matches("[a-z]+_[a-z]+"), name);
            seen.add(name);
        }
        assertTrue(seen.size() > 20, "200 draws from 400 names give many different ones: " + seen.size());
    }
}
