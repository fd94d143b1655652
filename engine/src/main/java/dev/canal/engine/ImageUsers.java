package dev.canal.engine;

import dev.canal.images.Digest;
import dev.canal.images.ImageLibrary;
import java.util.List;

public final class ImageUsers {
    private ImageUsers() {}

    public static List<ImageUsers.User> of(Engine engine, Digest imageId) {
        return engine.list(true).stream()
                .filter(view -> imageId.toString().equals(view.record().imageId()))
                .map(view -> new ImageUsers.User(
                        view.record().shortId(), view.state().running()))
                .toList();
    }

    public static void refuseIfInUse(Engine engine, String given) {
        ImageLibrary library = engine.images();
        Digest id = library.resolve(given).id();
        boolean byId = isPrefixOf(given, id);
        long names = library.list().stream()
                .filter(summary -> summary.id().equals(id))
                .count();
        if (byId || names <= 1L) {
            List<ImageUsers.User> users = of(engine, id);
            if (!users.isEmpty()) {
                ImageUsers.User user = users.getFirst();
                throw new ConflictException(
                        byId
                                ? "conflict: unable to delete "
                                        + id.shortHex()
                                        + " (must be forced) - image is being used by "
                                        + (user.running() ? "running" : "stopped")
                                        + " container "
                                        + user.shortId()
                                : "conflict: unable to remove repository reference \""
                                        + given
                                        + "\" (must force) - container "
                                        + user.shortId()
                                        + " is using its referenced image "
                                        + id.shortHex());
            }
        }
    }

    private static boolean isPrefixOf(String given, Digest id) {
        String hex = given.startsWith("sha256:") ? given.substring("sha256".length() + 1) : given;
        return hex.matches("[0-9a-f]{4,64}") && id.hex().startsWith(hex);
    }

    public record User(String shortId, boolean running) {}
}
