package dev.canal.cli.image;

import dev.canal.cli.CanalCommand;
import dev.canal.cli.run.ImageUsers;
import dev.canal.images.Digest;
import dev.canal.images.ImageException;
import dev.canal.images.ImageLibrary;
import dev.canal.images.ImageReference;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code canal rmi}: remove images by name or id; their layers stay until {@code canal image
 * prune}. As docker, an image a container was made from (running or stopped) keeps its last
 * name unless {@code -f}: untagging it would leave the container's image without a name.
 */
@Command(name = "rmi", mixinStandardHelpOptions = true, description = "Remove one or more images.")
public final class RmiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-f", "--force"},
            description = "Remove the image even if a container uses it.")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image name or id.")
    List<String> images;

    @Override
    public Integer call() {
        CanalCommand canal = Commands.canal(spec);
        ImageLibrary library = canal.images();
        for (String image : images) {
            if (!force) {
                refuseIfInUse(canal, library, image);
            }
            for (ImageReference removed : library.remove(image)) {
                spec.commandLine().getOut().println("Untagged: " + removed.familiarName());
            }
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    /**
     * docker's conflict: removing {@code given} would take the image's last name (an id takes
     * them all) while a container still uses it. Worded as moby's image_delete.go words it.
     */
    private static void refuseIfInUse(CanalCommand canal, ImageLibrary library, String given) {
        Digest id = library.resolve(given).id();
        boolean byId = isPrefixOf(given, id);
        long names = library.list().stream()
                .filter(summary -> summary.id().equals(id))
                .count();
        if (!byId && names > 1) {
            return;
        }
        List<ImageUsers.User> users = ImageUsers.of(canal, id);
        if (users.isEmpty()) {
            return;
        }
        ImageUsers.User user = users.getFirst();
        throw new ImageException(
                byId
                        ? "conflict: unable to delete " + id.shortHex() + " (must be forced) - image is being used by "
                                + (user.running() ? "running" : "stopped") + " container " + user.shortId()
                        : "conflict: unable to remove repository reference \"" + given + "\" (must force) - container "
                                + user.shortId() + " is using its referenced image " + id.shortHex());
    }

    private static boolean isPrefixOf(String given, Digest id) {
        String hex = given.startsWith(Digest.SHA256 + ":") ? given.substring(Digest.SHA256.length() + 1) : given;
        return hex.matches("[0-9a-f]{4,64}") && id.hex().startsWith(hex);
    }
}
