package dev.canal.engine;

import dev.canal.images.Digest;
import dev.canal.images.ImageLibrary;
import java.util.List;

/**
 * Which containers use an image, so that {@code docker rmi} refuses to remove one a container
 * still needs (its layers are the container's lower directories) with docker's own messages.
 */
public final class ImageUsers {

    private ImageUsers() {}

    /** The containers, running or not, created from image {@code imageId}. */
    public static List<User> of(Engine engine, Digest imageId) {
        return engine.list(true).stream()
                .filter(view -> imageId.toString().equals(view.record().imageId()))
                .map(view -> new User(view.record().shortId(), view.state().running()))
                .toList();
    }

    /**
     * Refuses, with docker's 409 message, to remove the image {@code given} names while a
     * container uses it. Removing one of several names (tags) of an image only untags it, so
     * that is allowed; removing by id or the last name would delete it.
     */
    public static void refuseIfInUse(Engine engine, String given) {
        ImageLibrary library = engine.images();
        Digest id = library.resolve(given).id();
        boolean byId = isPrefixOf(given, id);
        long names = library.list().stream()
                .filter(summary -> summary.id().equals(id))
                .count();
        if (!byId && names > 1) {
            return;
        }
        List<User> users = of(engine, id);
        if (users.isEmpty()) {
            return;
        }
        User user = users.getFirst();
        throw new ConflictException(
                byId
                        ? "conflict: unable to delete " + id.shortHex() + " (must be forced) - image is being used by "
                                + (user.running() ? "running" : "stopped") + " container " + user.shortId()
                        : "conflict: unable to remove repository reference \"" + given
                                + "\" (must force) - container " + user.shortId()
                                + " is using its referenced image " + id.shortHex());
    }

    /** Whether {@code given} is (a prefix of) the image id, with or without "sha256:". */
    private static boolean isPrefixOf(String given, Digest id) {
        String hex = given.startsWith("sha256:") ? given.substring("sha256:".length()) : given;
        return hex.matches("[0-9a-f]{4,64}") && id.hex().startsWith(hex);
    }

    /** A container using the image: its short id and whether it runs. */
    public record User(String shortId, boolean running) {}
}
