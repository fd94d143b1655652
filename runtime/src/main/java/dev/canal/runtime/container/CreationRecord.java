package dev.canal.runtime.container;

import dev.canal.runtime.cgroup.Cgroup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.IntConsumer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * What a {@code create} has made so far on the host, in {@code creation.json} of the state
 * directory, written as each thing comes to exist: the container's cgroup, then its held first
 * process. A create whose JVM is killed (SIGKILL, the OOM killer) cannot undo anything, and its
 * state directory never gets a {@code state.json}; {@link UnfinishedCreation} removes what this
 * record names. The container's mounts need no record: they live in its mount namespace, which
 * goes with its last process.
 *
 * <p>The create holds the state directory's exclusive {@link StateLock} from right after
 * mkdir(2) until it has written {@code state.json} or undone everything: a {@code delete} waits
 * while a create is still at work, and gets the lock at once when the creating JVM is gone (the
 * kernel releases a process's fcntl(2) locks when it ends).
 */
final class CreationRecord implements AutoCloseable {

    static final String FILE = "creation.json";
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * What the record names.
     *
     * @param cgroupPath   the container's cgroup (as {@link Cgroup#path()}), or null before it exists
     * @param pid          the held first process, or 0 before it exists
     * @param pidStartTime its start time (see {@link ProcessIdentity}), which tells it from a later
     *                     process with the same pid
     */
    record Made(String cgroupPath, int pid, long pidStartTime) {}

    private final Path stateDirectory;
    private final StateLock lock;
    private Made made = new Made(null, 0, 0);

    private CreationRecord(Path stateDirectory, StateLock lock) {
        this.stateDirectory = stateDirectory;
        this.lock = lock;
    }

    /**
     * Starts the record of the container whose state directory the caller has just made,
     * and locks that directory for the rest of the create.
     */
    static CreationRecord begin(Path stateDirectory) {
        StateLock lock;
        try {
            lock = StateLock.acquireNew(stateDirectory);
        } catch (RuntimeException e) {
            StateDirectories.remove(stateDirectory);
            throw e;
        }
        CrashPoint.STATE_DIRECTORY.reached();
        return new CreationRecord(stateDirectory, lock);
    }

    /** Records the container's cgroup, which Canal has just created or joined. */
    void cgroupCreated(Cgroup cgroup) {
        made = new Made(cgroup.path(), 0, 0);
        write();
        CrashPoint.CGROUP.reached();
    }

    /**
     * What the engine calls to move the held process into {@code cgroup}: it records the process
     * first, so that from the moment it is in the cgroup it is in the record too.
     */
    IntConsumer joiningCgroup(Cgroup cgroup) {
        return pid -> {
            made = new Made(made.cgroupPath(), pid, ProcessIdentity.startTime(pid));
            write();
            cgroup.addProcess(pid);
        };
    }

    /** Ends the create's hold on the state directory, done or undone. */
    @Override
    public void close() {
        lock.close();
    }

    /** Written whole to a temporary file, then renamed: a reader never sees half a record. */
    private void write() {
        var bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), bytes)) {
            json.writeStartObject();
            json.writeStringProperty("cgroupPath", made.cgroupPath());
            json.writeNumberProperty("pid", made.pid());
            json.writeNumberProperty("pidStartTime", made.pidStartTime());
            json.writeEndObject();
        }
        Path temporary = stateDirectory.resolve(FILE + ".tmp");
        try {
            Files.write(temporary, bytes.toByteArray());
            Files.move(temporary, stateDirectory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the record in {@code stateDirectory} names; nothing when there is none (yet). */
    static Made read(Path stateDirectory) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(stateDirectory.resolve(FILE));
        } catch (NoSuchFileException none) {
            return new Made(null, 0, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String cgroupPath = null;
        int pid = 0;
        long pidStartTime = 0;
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), bytes)) {
            parser.nextToken();
            for (String name = parser.nextName(); name != null; name = parser.nextName()) {
                parser.nextToken();
                switch (name) {
                    case "cgroupPath" -> cgroupPath = parser.getValueAsString();
                    case "pid" -> pid = parser.getIntValue();
                    case "pidStartTime" -> pidStartTime = parser.getLongValue();
                    default -> parser.skipChildren();
                }
            }
        }
        return new Made(cgroupPath, pid, pidStartTime);
    }
}
