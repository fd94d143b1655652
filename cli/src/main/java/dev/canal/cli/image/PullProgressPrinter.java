package dev.canal.cli.image;

import dev.canal.images.Digest;
import dev.canal.images.ImageReference;
import dev.canal.images.registry.PullProgress;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code docker pull}'s output. On a terminal each layer has a line that is redrawn in place
 * (ANSI cursor-up, erase-line, cursor-down, as docker's jsonmessage does) with its download
 * progress; otherwise each change of a layer's status is a line of its own and byte counts are
 * left out, so logs stay short:
 * <pre>
 * 1.0: Pulling from bb
 * 4e8f1c0b2a3d: Pulling fs layer
 * 4e8f1c0b2a3d: Downloading  1.08MB/3.4MB
 * 4e8f1c0b2a3d: Pull complete
 * Digest: sha256:...
 * Status: Downloaded newer image for localhost:5000/bb:1.0
 * localhost:5000/bb:1.0
 * </pre>
 */
public final class PullProgressPrinter implements PullProgress {

    private final PrintWriter out;
    private final boolean terminal;
    /** The line each layer occupies on a terminal, counted from the first layer's; the config has none. */
    private final Map<Digest, Integer> lines = new HashMap<>();
    /** The last percentage drawn per layer, so a redraw happens at most a hundred times. */
    private final Map<Digest, Long> shownPercent = new HashMap<>();

    public PullProgressPrinter(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void pulling(ImageReference reference) {
        String tag =
                reference.tag() != null ? reference.tag() : reference.digest().toString();
        out.println(tag + ": Pulling from " + reference.repository());
        out.flush();
    }

    @Override
    public synchronized void alreadyExists(Digest layer) {
        show(layer, "Already exists");
    }

    @Override
    public synchronized void waiting(Digest layer, long size) {
        show(layer, "Pulling fs layer");
    }

    @Override
    public synchronized void downloading(Digest layer, long received, long size) {
        long percent = size > 0 ? received * 100 / size : 0;
        if (!terminal || !lines.containsKey(layer) || shownPercent.getOrDefault(layer, -1L) == percent) {
            return;
        }
        shownPercent.put(layer, percent);
        show(layer, "Downloading  " + HumanUnits.size(received) + "/" + HumanUnits.size(size));
    }

    @Override
    public synchronized void downloaded(Digest layer) {
        if (lines.containsKey(layer)) {
            show(layer, "Download complete");
        }
    }

    @Override
    public synchronized void extracted(Digest layer) {
        show(layer, "Pull complete");
    }

    @Override
    public synchronized void finished(ImageReference reference, Digest digest, boolean downloadedAnything) {
        out.println("Digest: " + digest);
        out.println("Status: " + (downloadedAnything ? "Downloaded newer image for " : "Image is up to date for ")
                + reference.familiarName());
        out.println(reference);
        out.flush();
    }

    /** A layer's status: a new line, or on a terminal its own line redrawn. */
    private void show(Digest layer, String status) {
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
