package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filters image prune takes, read as moby's ImagesPrune reads them; which images go is ImageLibraryTest's. */
class ImagePruneTest {

    @TempDir
    Path directory;

    private Engine engine;

    @BeforeEach
    void open() {
        engine = Engine.open(directory.resolve("data"), directory.resolve("exec"));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private String refusal(Map<String, List<String>> filters) {
        return assertThrows(IllegalArgumentException.class, () -> ImagePrune.run(engine, filters, Instant.now()))
                .getMessage();
    }

    @Test
    void danglingIsOneOfOneTrueZeroOrFalseAndOtherFiltersArePrunes() {
        assertEquals("invalid filter 'dangling=maybe'", refusal(Map.of("dangling", List.of("maybe"))));
        assertEquals("invalid filter 'dangling=true,false'", refusal(Map.of("dangling", List.of("true", "false"))));
        assertEquals("invalid filter 'colour'", refusal(Map.of("dangling", List.of("1"), "colour", List.of("red"))));
        assertEquals("failed to parse value as time or duration: \"soon\"", refusal(Map.of("until", List.of("soon"))));
        for (String value : List.of("1", "true", "0", "false")) {
            assertEquals(
                    new ImagePrune.Report(List.of(), 0),
                    ImagePrune.run(engine, Map.of("dangling", List.of(value), "until", List.of("1h")), Instant.now()));
        }
        assertEquals(new ImagePrune.Report(List.of(), 0), ImagePrune.run(engine, Map.of(), Instant.now()));
    }
}
