package dev.canal.cli.image;

import dev.canal.images.Digest;
import dev.canal.images.ImageReference;
import dev.canal.images.registry.PushProgress;
import java.io.PrintWriter;

/**
 * {@code docker push}'s output, one {@linkplain LayerLines line per layer}:
 * <pre>
 * The push refers to repository [localhost:5000/bb]
 * 4e8f1c0b2a3d: Preparing
 * 4e8f1c0b2a3d: Pushing  1.08MB/3.4MB
 * 4e8f1c0b2a3d: Pushed
 * 1.0: digest: sha256:... size: 527
 * </pre>
 * A layer the repository had says {@code Layer already exists}; one the registry linked from
 * another of its repositories, {@code Mounted from OTHER}.
 */
public final class PushProgressPrinter implements PushProgress {

    private final PrintWriter out;
    private final LayerLines layers;

    public PushProgressPrinter(PrintWriter out, boolean terminal) {
        this.out = out;
        this.layers = new LayerLines(out, terminal);
    }

    @Override
    public synchronized void pushing(ImageReference reference) {
        out.println("The push refers to repository [" + reference.fullRepository() + "]");
        out.flush();
    }

    @Override
    public synchronized void preparing(Digest layer) {
        layers.show(layer, "Preparing");
    }

    @Override
    public synchronized void alreadyExists(Digest layer) {
        layers.show(layer, "Layer already exists");
    }

    @Override
    public synchronized void mounted(Digest layer, String fromRepository) {
        layers.show(layer, "Mounted from " + fromRepository);
    }

    @Override
    public synchronized void uploading(Digest layer, long sent, long size) {
        layers.transfer(layer, "Pushing", sent, size);
    }

    @Override
    public synchronized void pushed(Digest layer) {
        layers.show(layer, "Pushed");
    }

    @Override
    public synchronized void finished(ImageReference reference, Digest digest, long size) {
        out.println(reference.tag() + ": digest: " + digest + " size: " + size);
        out.flush();
    }
}
