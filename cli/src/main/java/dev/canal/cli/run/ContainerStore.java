package dev.canal.cli.run;

import dev.canal.images.ImageLibrary;
import dev.canal.images.rootfs.ContainerLayers;
import dev.canal.runtime.sys.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * The containers {@code canal run} made, in the image store (docker keeps them under
 * /var/lib/docker/containers):
 * <pre>
 * &lt;root&gt;/containers/&lt;id&gt;/config.json   the bundle's config, rootfs = merged/ (the overlay)
 *                          canal.json    its {@link ContainerRecord}
 *                          run.lock      locked by its canal run ({@link #holdWhileRunning})
 *                          upper/ work/ merged/ layers   its overlay ({@link ContainerLayers})
 * &lt;root&gt;/container-names/&lt;name&gt;   the id, in a file created only if the name is free
 * </pre>
 */
final class ContainerStore {

    static final String RECORD = "canal.json";
    private static final String RUN_LOCK = "run.lock";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final ImageLibrary images;

    ContainerStore(Path root, ImageLibrary images) {
        this.root = root;
        this.images = images;
    }

    ContainerLayers layers() {
        return new ContainerLayers(images);
    }

    /** A new container id: 32 random bytes in hex, as docker's. */
    static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    Path directory(String id) {
        return images.users().containerDirectory(id);
    }

    private Path names() {
        return root.resolve("container-names");
    }

    /** Claims {@code name} for container {@code id}; fails if another container has it. */
    void reserveName(String name, String id) {
        if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}")) {
            throw new IllegalArgumentException(
                    "--name " + name + ": use letters, digits and _ . - (not first), at most 128");
        }
        if (!claimName(name, id)) {
            throw new IllegalArgumentException("the container name \"" + name + "\" is already in use by container \""
                    + idOfName(name) + "\"; remove that container or choose another name");
        }
    }

    /**
     * Records {@code name} for {@code id} unless it is taken: the file is created with O_EXCL
     * (open(2)), so of two runs claiming one name only one succeeds.
     */
    boolean claimName(String name, String id) {
        try {
            Files.createDirectories(names());
            Files.writeString(Files.createFile(names().resolve(name)), id);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the name " + name + ": " + e.getMessage(), e);
        }
    }

    void releaseName(String name) {
        try {
            Files.deleteIfExists(names().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String idOfName(String name) {
        try {
            return Files.readString(names().resolve(name)).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    /** Writes the record owner-only (0600): the command line may hold secrets too. */
    void write(ContainerRecord record) {
        OwnerOnly.write(directory(record.id()).resolve(RECORD), JSON.writeValueAsBytes(record));
    }

    /**
     * Locks {@code run.lock} of container {@code id} for the {@code canal run} that runs it,
     * from when its directory exists until the run has recorded the container's end and
     * unmounted its layers (or, with --rm, removed it): closing the returned channel, or the
     * process's end however it comes, releases it (fcntl(2) record locks, which FileChannel.lock
     * takes). {@code stop} and {@code rm -f} wait for it ({@link #runHolds}).
     */
    FileChannel holdWhileRunning(String id) throws IOException {
        FileChannel channel =
                FileChannel.open(directory(id).resolve(RUN_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            channel.lock();
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Whether a {@code canal run} holds container {@code id}'s lock: it is creating the
     * container, waiting for it, or recording its end. False once the container is removed.
     */
    boolean runHolds(String id) {
        Path lock = directory(id).resolve(RUN_LOCK);
        try (var channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            return channel.tryLock() == null; // a lock taken here goes with the channel
        } catch (NoSuchFileException removed) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lock + ": " + e.getMessage(), e);
        }
    }

    /** Whether the record of {@code record}'s container is still there (a run with --rm removes it). */
    boolean exists(ContainerRecord record) {
        return Files.exists(directory(record.id()).resolve(RECORD));
    }

    /** Every container with a record, newest first, as docker ps lists them. */
    List<ContainerRecord> list() {
        Path containers = directory("x").getParent();
        if (!Files.isDirectory(containers)) {
            return List.of();
        }
        var records = new ArrayList<ContainerRecord>();
        try (Stream<Path> entries = Files.list(containers)) {
            for (Path entry : entries.toList()) {
                Path file = entry.resolve(RECORD);
                if (Files.isRegularFile(file)) {
                    records.add(JSON.readValue(Files.readString(file), ContainerRecord.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        records.sort((a, b) -> b.created().compareTo(a.created()));
        return records;
    }

    /** The container a full id, a unique id prefix or a name refers to. */
    ContainerRecord find(String idOrName) {
        List<ContainerRecord> all = list();
        var byName =
                all.stream().filter(record -> record.name().equals(idOrName)).findFirst();
        if (byName.isPresent()) {
            return byName.get();
        }
        List<ContainerRecord> byId =
                all.stream().filter(record -> record.id().startsWith(idOrName)).toList();
        if (idOrName.isEmpty() || byId.isEmpty()) {
            throw new IllegalArgumentException("no such container: " + idOrName);
        }
        if (byId.size() > 1) {
            throw new IllegalArgumentException("container id prefix " + idOrName + " is ambiguous");
        }
        return byId.getFirst();
    }

    /** Removes the container's overlay, bundle, record and name. */
    void remove(ContainerRecord record) {
        layers().remove(record.id());
        releaseName(record.name());
    }
}
