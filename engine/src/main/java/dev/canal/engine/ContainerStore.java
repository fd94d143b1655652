package dev.canal.engine;

import dev.canal.images.ImageLibrary;
import dev.canal.images.rootfs.ContainerLayers;
import dev.canal.runtime.json.ReflectiveCreators;
import dev.canal.runtime.sys.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * The engine's containers on disk, in the image store (docker keeps them under
 * /var/lib/docker/containers):
 * <pre>
 * &lt;root&gt;/containers/&lt;id&gt;/config.json   the bundle's config, rootfs = merged/ (the overlay)
 *                          canal.json    its {@link ContainerRecord}
 *                          run.lock      locked while it runs ({@link #holdWhileRunning})
 *                          &lt;id&gt;-json.log its log ({@link LogFile})
 *                          upper/ work/ merged/ layers   its overlay ({@link ContainerLayers})
 * &lt;root&gt;/container-names/&lt;name&gt;   the id, in a file created only if the name is free
 * </pre>
 * Everything is in files so that {@code canal} and {@code canald}, separate processes, see the
 * same containers.
 */
public final class ContainerStore {

    static final String RECORD = "canal.json";
    private static final String RUN_LOCK = "run.lock";

    /**
     * docker's container name pattern (moby's restrictedNamePattern: at least two characters),
     * at most 128 long, as the layer directories named after containers allow.
     */
    private static final String NAME_PATTERN = "[a-zA-Z0-9][a-zA-Z0-9_.-]{1,127}";

    private static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{64}");

    /** Records made by core reflection, not method handles spun per record (start time). */
    private static final JsonMapper JSON =
            JsonMapper.builder().addModule(ReflectiveCreators.module()).build();

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final ImageLibrary images;

    public ContainerStore(Path root, ImageLibrary images) {
        this.root = root;
        this.images = images;
    }

    public ContainerLayers layers() {
        return new ContainerLayers(images);
    }

    /** A new container id: 32 random bytes in hex, as docker's. */
    public static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public Path directory(String id) {
        return images.users().containerDirectory(id);
    }

    private Path names() {
        return root.resolve("container-names");
    }

    /** Claims {@code name} for container {@code id}; a name in use is docker's 409 conflict. */
    public void reserveName(String name, String id) {
        if (!name.matches(NAME_PATTERN)) {
            throw new IllegalArgumentException("Invalid container name (" + name
                    + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed" + " (at least 2, at most 128 characters)");
        }
        if (!claimName(name, id)) {
            throw new ConflictException("Conflict. The container name \"/" + name
                    + "\" is already in use by container \"" + idOfName(name)
                    + "\". You have to remove (or rename) that container to be able to reuse that name.");
        }
    }

    /**
     * Records {@code name} for {@code id} unless it is taken: the file is created with O_EXCL
     * (open(2)), so of two processes claiming one name only one succeeds.
     */
    public boolean claimName(String name, String id) {
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

    public void releaseName(String name) {
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

    /** Writes the record owner-only (0600): the command line and environment may hold secrets. */
    public void write(ContainerRecord record) {
        OwnerOnly.write(directory(record.id()).resolve(RECORD), JSON.writeValueAsBytes(record));
    }

    /**
     * Locks {@code run.lock} of container {@code id} for whoever runs it, from its start until
     * its end is recorded and its layers unmounted. Closing the lock, or the end of the process
     * however it comes, releases it (fcntl(2) record locks, which FileChannel.lock takes), so a
     * crashed engine's containers do not look as if they still ran.
     */
    RunLock holdWhileRunning(String id) throws IOException {
        return RunLock.acquire(directory(id).resolve(RUN_LOCK));
    }

    /**
     * Whether some process (this one or another) holds container {@code id}'s run lock: it is
     * starting, running it, or recording its end. False once the container is removed.
     */
    public boolean runHolds(String id) {
        Path lock = directory(id).resolve(RUN_LOCK);
        try {
            return RunLock.held(lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lock + ": " + e.getMessage(), e);
        }
    }

    /** Whether the record of {@code record}'s container is still there (--rm removes it). */
    public boolean exists(ContainerRecord record) {
        return Files.exists(directory(record.id()).resolve(RECORD));
    }

    /** The record of container {@code id}, null if it has been removed. */
    public ContainerRecord read(String id) {
        Path file = directory(id).resolve(RECORD);
        try {
            return JSON.readValue(Files.readString(file), ContainerRecord.class);
        } catch (NoSuchFileException removed) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every container with a record, newest first, as docker ps lists them. */
    public List<ContainerRecord> list() {
        Path containers = directory("x").getParent();
        if (!Files.isDirectory(containers)) {
            return List.of();
        }
        List<ContainerRecord> records = new ArrayList<>();
        try (Stream<Path> entries = Files.list(containers)) {
            for (Path entry : entries.toList()) {
                try {
                    records.add(JSON.readValue(Files.readString(entry.resolve(RECORD)), ContainerRecord.class));
                } catch (NoSuchFileException beingCreatedOrRemoved) {
                    // A directory without a record: its container is not there yet or any more.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        records.sort((a, b) -> b.created().compareTo(a.created()));
        return records;
    }

    /**
     * The container a full id, a name (with or without docker's leading slash) or a unique id
     * prefix refers to, in that order, as docker resolves them.
     */
    public ContainerRecord find(String idOrName) {
        String wanted = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
        ContainerRecord direct = findDirectly(wanted);
        if (direct != null) {
            return direct;
        }
        List<ContainerRecord> all = list();
        Optional<ContainerRecord> exact = all.stream()
                .filter(record -> record.id().equals(wanted) || record.name().equals(wanted))
                .findFirst();
        if (exact.isPresent()) {
            return exact.get();
        }
        List<ContainerRecord> byPrefix =
                all.stream().filter(record -> record.id().startsWith(idOrName)).toList();
        if (idOrName.isEmpty() || byPrefix.isEmpty()) {
            throw new NoSuchObjectException("No such container: " + idOrName);
        }
        if (byPrefix.size() > 1) {
            throw new IllegalArgumentException("multiple containers found with provided prefix: " + idOrName);
        }
        return byPrefix.getFirst();
    }

    /**
     * The container whose full id or name is {@code wanted}, read from its own record (by the
     * id, or the id its name file holds) without reading every record; null if neither is, and
     * then {@link #find} lists them all for a prefix. Every request on a container resolves it:
     * reading one record instead of all keeps that the same cost with many containers.
     */
    private ContainerRecord findDirectly(String wanted) {
        if (FULL_ID.matcher(wanted).matches()) {
            ContainerRecord byId = read(wanted);
            if (byId != null) {
                return byId;
            }
        }
        if (!wanted.matches(NAME_PATTERN)) {
            return null;
        }
        String id;
        try {
            id = Files.readString(names().resolve(wanted)).strip();
        } catch (NoSuchFileException noSuchName) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the name " + wanted + ": " + e.getMessage(), e);
        }
        ContainerRecord byName = FULL_ID.matcher(id).matches() ? read(id) : null;
        return byName != null && byName.name().equals(wanted) ? byName : null;
    }

    /** Removes the container's overlay, bundle, record and log (its directory) and its name. */
    public void remove(ContainerRecord record) {
        layers().remove(record.id());
        releaseName(record.name());
    }
}
