package dev.canal.engine;

import dev.canal.images.ImageLibrary;
import dev.canal.images.rootfs.ContainerLayers;
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
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

public final class ContainerStore {
    static final String RECORD = "canal.json";
    private static final String RUN_LOCK = "run.lock";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path root;
    private final ImageLibrary images;

    public ContainerStore(Path root, ImageLibrary images) {
        this.root = root;
        this.images = images;
    }

    public ContainerLayers layers() {
        return new ContainerLayers(this.images);
    }

    public static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public Path directory(String id) {
        return this.images.users().containerDirectory(id);
    }

    private Path names() {
        return this.root.resolve("container-names");
    }

    public void reserveName(String name, String id) {
        if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}")) {
            throw new IllegalArgumentException(
                    "--name " + name + ": use letters, digits and _ . - (not first), at most 128");
        }

        if (!this.claimName(name, id)) {
            throw new ConflictException("Conflict. The container name \"/"
                    + name
                    + "\" is already in use by container \""
                    + this.idOfName(name)
                    + "\". You have to remove (or rename) that container to be able to reuse that name.");
        }
    }

    public boolean claimName(String name, String id) {
        try {
            Files.createDirectories(this.names());
            Files.writeString(Files.createFile(this.names().resolve(name)), id);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the name " + name + ": " + e.getMessage(), e);
        }
    }

    public void releaseName(String name) {
        try {
            Files.deleteIfExists(this.names().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String idOfName(String name) {
        try {
            return Files.readString(this.names().resolve(name)).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    public void write(ContainerRecord record) {
        OwnerOnly.write(this.directory(record.id()).resolve("canal.json"), JSON.writeValueAsBytes(record));
    }

    RunLock holdWhileRunning(String id) throws IOException {
        return RunLock.acquire(this.directory(id).resolve("run.lock"));
    }

    public boolean runHolds(String id) {
        Path lock = this.directory(id).resolve("run.lock");

        try {
            return RunLock.held(lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lock + ": " + e.getMessage(), e);
        }
    }

    public boolean exists(ContainerRecord record) {
        return Files.exists(this.directory(record.id()).resolve("canal.json"));
    }

    public ContainerRecord read(String id) {
        Path file = this.directory(id).resolve("canal.json");

        try {
            return (ContainerRecord) JSON.readValue(Files.readString(file), ContainerRecord.class);
        } catch (NoSuchFileException removed) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public List<ContainerRecord> list() {
        Path containers = this.directory("x").getParent();
        if (!Files.isDirectory(containers)) {
            return List.of();
        }

        ArrayList<ContainerRecord> records = new ArrayList<>();

        try (Stream<Path> entries = Files.list(containers)) {
            for (Path entry : entries.toList()) {
                Path file = entry.resolve("canal.json");

                try {
                    records.add((ContainerRecord) JSON.readValue(Files.readString(file), ContainerRecord.class));
                } catch (NoSuchFileException var9) {
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        records.sort((a, b) -> b.created().compareTo(a.created()));
        return records;
    }

    public ContainerRecord find(String idOrName) {
        List<ContainerRecord> all = this.list();
        String wanted = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
        Optional<ContainerRecord> byName = all.stream()
                .filter(record -> record.id().equals(wanted) || record.name().equals(wanted))
                .findFirst();
        if (byName.isPresent()) {
            return byName.get();
        }

        List<ContainerRecord> byId =
                all.stream().filter(record -> record.id().startsWith(idOrName)).toList();
        if (!idOrName.isEmpty() && !byId.isEmpty()) {
            if (byId.size() > 1) {
                throw new IllegalArgumentException("multiple containers found with provided prefix: " + idOrName);
            } else {
                return byId.getFirst();
            }
        } else {
            throw new NoSuchObjectException("No such container: " + idOrName);
        }
    }

    public void remove(ContainerRecord record) {
        this.layers().remove(record.id());
        this.releaseName(record.name());
    }
}
