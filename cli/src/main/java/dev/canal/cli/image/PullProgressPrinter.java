package dev.canal.cli.image;

import dev.canal.images.Digest;
import dev.canal.images.ImageReference;
import dev.canal.images.registry.PullProgress;
import java.io.PrintWriter;

/**
 * {@code docker pull}'s output, one {@linkplain LayerLines line per layer}:
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
    private final LayerLines layers;

    public PullProgressPrinter(PrintWriter out, boolean terminal) {
        this.out = out;
        this.layers = new LayerLines(out, terminal);
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
        layers.show(layer, "Already exists");
    }

    @Override
    public synchronized void waiting(Digest layer, long size) {
        layers.show(layer, "Pulling fs layer");
    }

    @Override
    public synchronized void downloading(Digest layer, long received, long size) {
        layers.transfer(layer, "Downloading", received, size);
    }

    @Override
    public synchronized void downloaded(Digest layer) {
        if (layers.has(layer)) {
            layers.show(layer, "Download complete");
        }
    }

    @Override
    public synchronized void extracted(Digest layer) {
        layers.show(layer, "Pull complete");
    }

    @Override
    public synchronized void finished(ImageReference reference, Digest digest, boolean downloadedAnything) {
        out.println("Digest: " + digest);
        out.println("Status: " + (downloadedAnything ? "Downloaded newer image for " : "Image is up to date for ")
                + reference.familiarName());
        out.println(reference);
        out.flush();
    }
}
