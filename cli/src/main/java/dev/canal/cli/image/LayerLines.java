package dev.canal.cli.image;

import dev.canal.images.Digest;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * The per-layer status lines {@code docker pull} and {@code docker push} print. On a terminal
 * each layer has a line that is redrawn in place (ANSI cursor-up, erase-line, cursor-down, as
 * docker's jsonmessage does), with byte counts as they move; otherwise each change of a layer's
 * status is a line of its own and byte counts are left out, so logs stay short. Callers
 * synchronize.
 */
final class LayerLines {

    private final PrintWriter out;
    private final boolean terminal;
    /** The line each layer occupies on a terminal, counted from the first layer's. */
    private final Map<Digest, Integer> lines = new HashMap<>();
    /** The last percentage drawn per layer, so a redraw happens at most a hundred times. */
    private final Map<Digest, Long> shownPercent = new HashMap<>();

    LayerLines(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Whether the layer has a line yet. */
    boolean has(Digest layer) {
        return lines.containsKey(layer);
    }

    /** {@code Downloading  1.08MB/3.4MB}, on a terminal only and when the percentage moved. */
    void transfer(Digest layer, String verb, long done, long size) {
        long percent = size > 0 ? done * 100 / size : 0;
        if (!terminal || !lines.containsKey(layer) || shownPercent.getOrDefault(layer, -1L) == percent) {
            return;
        }
        shownPercent.put(layer, percent);
        show(layer, verb + "  " + HumanUnits.size(done) + "/" + HumanUnits.size(size));
    }

    /** A layer's status: a new line, or on a terminal its own line redrawn. */
    void show(Digest layer, String status) {
        String line = layer.shortHex() + ": " + status;
        Integer index = lines.get(layer);
        if (index == null) {
            lines.put(layer, lines.size());
            out.println(line);
        } else if (!terminal) {
            out.println(line);
        } else {
            int up = lines.size() - index;
            out.print("\033[" + up + "A\033[2K\r" + line + "\033[" + up + "B\r");
        }
        out.flush();
    }
}
