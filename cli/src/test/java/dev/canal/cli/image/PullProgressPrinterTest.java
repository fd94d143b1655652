package dev.canal.cli.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.canal.images.Digest;
import dev.canal.images.ImageReference;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** docker pull's output: lines for logs, lines redrawn in place on a terminal. */
class PullProgressPrinterTest {

    private static final ImageReference NAME = ImageReference.parse("localhost:5000/bb:1.0");
    private static final Digest FIRST = Digest.of("first".getBytes(StandardCharsets.UTF_8));
    private static final Digest SECOND = Digest.of("second".getBytes(StandardCharsets.UTF_8));
    private static final Digest INDEX = Digest.of("index".getBytes(StandardCharsets.UTF_8));

    @Test
    void withoutATerminalEachStatusIsALineAndByteCountsAreLeftOut() {
        var text = new StringWriter();
        play(new PullProgressPrinter(new PrintWriter(text), false));
        String a = FIRST.shortHex();
        String b = SECOND.shortHex();
        assertEquals(
                String.join(
                        System.lineSeparator(),
                        "1.0: Pulling from bb",
                        a + ": Already exists",
                        b + ": Pulling fs layer",
                        b + ": Download complete",
                        b + ": Pull complete",
                        "Digest: " + INDEX,
                        "Status: Downloaded newer image for localhost:5000/bb:1.0",
                        "localhost:5000/bb:1.0",
                        ""),
                text.toString());
    }

    @Test
    void onATerminalALayersLineIsRedrawnInPlace() {
        var text = new StringWriter();
        play(new PullProgressPrinter(new PrintWriter(text), true));
        String b = SECOND.shortHex();
        String n = System.lineSeparator();
        // The second layer's line is one up from the cursor: up 1, erase, write, down 1.
        String redraw = "\033[1A\033[2K\r";
        String back = "\033[1B\r";
        assertEquals(
                "1.0: Pulling from bb" + n
                        + FIRST.shortHex() + ": Already exists" + n
                        + b + ": Pulling fs layer" + n
                        + redraw + b + ": Downloading  500kB/2MB" + back
                        + redraw + b + ": Downloading  2MB/2MB" + back
                        + redraw + b + ": Download complete" + back
                        + redraw + b + ": Pull complete" + back
                        + "Digest: " + INDEX + n
                        + "Status: Downloaded newer image for localhost:5000/bb:1.0" + n
                        + "localhost:5000/bb:1.0" + n,
                text.toString());
    }

    /** A pull of two layers, the first already stored; the config's events are not shown. */
    private static void play(PullProgressPrinter printer) {
        Digest config = Digest.of("config".getBytes(StandardCharsets.UTF_8));
        printer.pulling(NAME);
        printer.alreadyExists(FIRST);
        printer.waiting(SECOND, 2_000_000);
        printer.downloading(config, 100, 100);
        printer.downloaded(config);
        printer.downloading(SECOND, 500_000, 2_000_000);
        printer.downloading(SECOND, 500_001, 2_000_000);
        printer.downloading(SECOND, 2_000_000, 2_000_000);
        printer.downloaded(SECOND);
        printer.extracted(SECOND);
        printer.finished(NAME, INDEX, true);
    }
}
