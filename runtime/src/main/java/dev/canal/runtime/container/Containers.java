package dev.canal.runtime.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The containers under one state root (runc's {@code --root}, default /run/canal): one
 * directory per container id holding its {@code state.json} and, until start, its exec FIFO.
 */
public final class Containers {

    /** runc's rule for ids (libcontainer's validateID): they name directories and appear in messages. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_+\\-.]+");

    /**
     * The longest id: NAME_MAX, 255 bytes (limits.h), the most one path component may hold.
     * runc sets no length, but every path built from an id has it as one whole component (the
     * state directory {@code <root>/<id>}, the cgroup {@code /canal/<id>}), so a longer id could
     * be neither created nor deleted (ENAMETOOLONG). With it the paths stay under PATH_MAX (4096)
     * unless the state root itself is thousands of bytes long.
     */
    static final int MAX_ID_LENGTH = 255;

    private final Path stateRoot;

    public Containers(Path stateRoot) {
        this.stateRoot = stateRoot;
    }

    /** Creates container {@code id} from the bundle directory {@code bundle}, held before exec. */
    public Container create(String id, Path bundle, CreateOptions options) {
        return ContainerCreation.create(stateDirectory(id), id, bundle, options);
    }

    /**
     * The existing container {@code id}, created by this JVM or another one. Its state is read
     * without a lock, as runc reads its state.json: create writes the file once, whole, by
     * rename(2) ({@link StoredState#write}), so a reader finds all of it or none, and only
     * delete removes it. Lock the container ({@link Container#lock}) for what is done with it: the
     * lock checks that the container is still the one read here.
     */
    public Container load(String id) {
        Path directory = stateDirectory(id);
        try {
            // A directory without state.json is a container still being created, or one whose creation failed.
            return new Container(directory, StoredState.read(directory), null, null);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                throw StateLock.doesNotExist(id);
            }
            if (e.getCause() instanceof AccessDeniedException denied) {
                throw new ContainerException(
                        "cannot read the state of container \"" + id + "\": permission denied: " + denied.getFile(), e);
            }
            throw e;
        }
    }

    /**
     * Removes what a {@code create} of container {@code id} left if it died before it finished
     * (its JVM killed): the held process, the cgroup and the state directory. Waits for a create
     * still at work. Returns whether there was such a leftover; a container that was created is
     * left alone.
     */
    public boolean removeUnfinished(String id) {
        return UnfinishedCreation.remove(stateDirectory(id), id);
    }

    /** Whether container {@code id} exists; an id that could name none is an error. */
    public boolean exists(String id) {
        return holdsState(stateDirectory(id));
    }

    /** The ids of every container under this state root. */
    public List<String> ids() {
        if (!Files.isDirectory(stateRoot)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(stateRoot)) {
            return entries.filter(Containers::holdsState)
                    .map(entry -> entry.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A directory without state.json is a container still being created, or none. */
    private static boolean holdsState(Path directory) {
        return Files.exists(directory.resolve(StoredState.FILE));
    }

    private Path stateDirectory(String id) {
        if (id.length() > MAX_ID_LENGTH) {
            throw new ContainerException("invalid container id \"" + id.substring(0, 40) + "...\": it has "
                    + id.length() + " characters, at most " + MAX_ID_LENGTH + " are allowed (one path component)");
        }
        if (!ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new ContainerException("invalid container id \"" + id + "\": use letters, digits and _ + - .");
        }
        return stateRoot.resolve(id);
    }
}
