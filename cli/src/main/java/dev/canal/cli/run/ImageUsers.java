package dev.canal.cli.run;

import dev.canal.cli.CanalCommand;
import dev.canal.images.Digest;
import java.util.List;

/** Which of {@code canal run}'s containers, running or stopped, were made from an image: what {@code rmi} asks. */
public final class ImageUsers {

    /** A container using the image: its short id, and whether it runs now. */
    public record User(String shortId, boolean running) {}

    private ImageUsers() {}

    /** The containers made from image {@code imageId}, newest first. */
    public static List<User> of(CanalCommand canal, Digest imageId) {
        var store = new ContainerStore(canal.root(), canal.images());
        var ending = new ContainerEnding(canal.containers(), store);
        return store.list().stream()
                .filter(record -> imageId.toString().equals(record.imageId()))
                .map(record -> new User(record.id().substring(0, 12), ending.isRunning(record)))
                .toList();
    }
}
