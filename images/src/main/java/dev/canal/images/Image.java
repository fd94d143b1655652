package dev.canal.images;

import dev.canal.images.manifest.ImageConfig;
import dev.canal.images.manifest.ImageManifest;
import java.nio.file.Path;
import java.util.List;

/**
 * A registered image, ready to run: its name, its configuration, and its layers unpacked,
 * lowest first.
 *
 * @param name            the name it was found by; null for an image known only by its id
 * @param manifestDigest  the platform manifest's digest
 * @param configDigest    the config's digest, which is the image's id ({@code docker images} IMAGE ID)
 * @param diffIds         the layers' diffIDs, lowest first
 * @param layerDirectories the unpacked layer directories, lowest first, shared with every other image using them
 */
public record Image(
        ImageReference name,
        Digest manifestDigest,
        Digest configDigest,
        ImageManifest manifest,
        ImageConfig config,
        List<Digest> diffIds,
        List<Path> layerDirectories) {

    public Image {
        diffIds = List.copyOf(diffIds);
        layerDirectories = List.copyOf(layerDirectories);
    }

    /** The image id: its config's digest. */
    public Digest id() {
        return configDigest;
    }

    private ImageConfig.RunConfig run() {
        return config.runConfig() == null ? ImageConfig.RunConfig.EMPTY : config.runConfig();
    }

    /** {@code Entrypoint}: what runs, before {@link #cmd()}; empty if unset. */
    public List<String> entrypoint() {
        return run().entrypoint() == null ? List.of() : run().entrypoint();
    }

    /** {@code Cmd}: the default arguments (or command, without an entrypoint); empty if unset. */
    public List<String> cmd() {
        return run().cmd() == null ? List.of() : run().cmd();
    }

    /** {@code Env}: {@code NAME=value} strings; empty if unset. */
    public List<String> env() {
        return run().env() == null ? List.of() : run().env();
    }

    /** {@code WorkingDir}, or {@code /} if unset. */
    public String workingDir() {
        return run().workingDir() == null || run().workingDir().isEmpty() ? "/" : run().workingDir();
    }

    /** {@code User} ({@code name}, {@code uid}, {@code uid:gid}, ...), or empty for root. */
    public String user() {
        return run().user() == null ? "" : run().user();
    }

    /** What the container runs by default: entrypoint followed by cmd. */
    public List<String> defaultCommand() {
        return java.util.stream.Stream.concat(entrypoint().stream(), cmd().stream())
                .toList();
    }
}
