package dev.canal.engine.net;

import dev.canal.runtime.sys.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The networks and the containers' endpoints on them, as JSON files under
 * {@code DATA-ROOT/networks}: {@code ID.json} per network, {@code endpoints/CONTAINER.json} per
 * container with an address, {@code connections/CONTAINER.json} per container that
 * {@code docker network connect} added networks to, {@code left/CONTAINER} per container
 * {@code docker network disconnect} took off the network it was created on. Files are replaced whole ({@link OwnerOnly#write}), so a crash
 * leaves the old or the new record, never half of one. The network records are read once and
 * then kept in memory: the daemon that owns the data root is their only writer, and every
 * container's start looks them up several times. Its directories are made (or closed to
 * others) once.
 */
final class NetworkStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<ContainerEndpoint>> ENDPOINTS = new TypeReference<>() {};
    private static final TypeReference<List<NetworkConnection>> CONNECTIONS = new TypeReference<>() {};

    private final Path root;
    private List<NetworkRecord> networks;
    /** The directories {@link OwnerOnly#directory} has made or closed since this store was opened. */
    private final Set<Path> madeDirectories = new HashSet<>();

    NetworkStore(Path root) {
        this.root = root;
    }

    /** Where the address claims live ({@link AddressPool}). */
    Path addresses() {
        return root.resolve("addresses");
    }

    /** The networks, oldest first. */
    List<NetworkRecord> list() {
        if (networks == null) {
            var read = new ArrayList<NetworkRecord>();
            for (Path file : files(root)) {
                read(file, NetworkRecord.class, read);
            }
            read.sort(Comparator.comparing(NetworkRecord::created));
            networks = List.copyOf(read);
        }
        return networks;
    }

    void write(NetworkRecord network) {
        directory(root);
        OwnerOnly.write(root.resolve(network.id() + ".json"), JSON.writeValueAsBytes(network));
        networks = null;
    }

    void remove(NetworkRecord network) {
        delete(root.resolve(network.id() + ".json"));
        networks = null;
    }

    List<ContainerEndpoint> endpoints(String containerId) {
        return readList(root.resolve("endpoints").resolve(containerId + ".json"), ENDPOINTS);
    }

    /** Every container's endpoints, for a network's inspect and for a restore. */
    List<ContainerEndpoint> allEndpoints() {
        var endpoints = new ArrayList<ContainerEndpoint>();
        for (Path file : files(root.resolve("endpoints"))) {
            String name = file.getFileName().toString();
            endpoints.addAll(endpoints(name.substring(0, name.length() - ".json".length())));
        }
        return endpoints;
    }

    void writeEndpoints(String containerId, List<ContainerEndpoint> endpoints) {
        writeList(root.resolve("endpoints").resolve(containerId + ".json"), endpoints);
    }

    private static <T> List<T> readList(Path file, TypeReference<List<T>> type) {
        if (!Files.exists(file)) {
            return List.of(); // most containers have none: one stat(2), where a failed open(2) costs two exceptions
        }
        try {
            return JSON.readValue(Files.readString(file), type);
        } catch (NoSuchFileException none) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
    }

    /** Replaces {@code file} with {@code values}; an empty list removes it. */
    private void writeList(Path file, List<?> values) {
        if (values.isEmpty()) {
            delete(file);
        } else {
            directory(file.getParent());
            OwnerOnly.write(file, JSON.writeValueAsBytes(values));
        }
    }

    /** {@link OwnerOnly#directory}, once per directory: it costs a few system calls and two exceptions when it exists. */
    private void directory(Path directory) {
        if (!madeDirectories.contains(directory)) {
            OwnerOnly.directory(directory);
            madeDirectories.add(directory);
        }
    }

    List<NetworkConnection> connections(String containerId) {
        return readList(root.resolve("connections").resolve(containerId + ".json"), CONNECTIONS);
    }

    void writeConnections(String containerId, List<NetworkConnection> connections) {
        writeList(root.resolve("connections").resolve(containerId + ".json"), connections);
    }

    /** Whether {@code docker network disconnect} took container {@code containerId} off the network it was created on. */
    boolean leftCreationNetwork(String containerId) {
        return Files.exists(leftMarker(containerId));
    }

    /** Marks container {@code containerId} as off the network it was created on, or forgets that. */
    void writeLeftCreationNetwork(String containerId, boolean left) {
        Path marker = leftMarker(containerId);
        if (left) {
            directory(marker.getParent());
            OwnerOnly.write(marker, new byte[0]);
        } else {
            delete(marker);
        }
    }

    private Path leftMarker(String containerId) {
        return root.resolve("left").resolve(containerId);
    }

    private static List<Path> files(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("list " + directory, e);
        }
    }

    private static <T> void read(Path file, Class<T> type, List<T> into) {
        try {
            into.add(JSON.readValue(Files.readString(file), type));
        } catch (NoSuchFileException removedMeanwhile) {
            // removed by a concurrent rm: not a network any more
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("delete " + file, e);
        }
    }
}
