package dev.canal.engine;

import java.util.List;

/**
 * What the engine keeps of one container on disk, in {@code canal.json} beside its config
 * ({@link ContainerStore}): its identity, the spec it was created with, and how it last started
 * and ended. Whether it runs now is not recorded but looked up ({@link Engine#view}): a record
 * cannot go stale when the process holding it dies. Immutable: each change writes a new one.
 *
 * @param image         the image as the user named it
 * @param imageId       the image's config digest, what {@code docker inspect} shows as Image
 * @param command       entrypoint followed by command, as it is run
 * @param created       RFC 3339 times, as the Engine API gives them
 * @param exitCode      the last exit status, null until the first exit
 * @param spec          the normalized spec ({@link ContainerSetup#normalize}); null in records
 *                      written by older versions, see {@link #specOrDefault}
 * @param started       when it last started, null if it never did
 * @param restartCount  how many times its restart policy has restarted it since it was started
 * @param stoppedByHand stopped or killed by a user: its restart policy leaves it stopped
 * @param error         why its last start failed, the State.Error of {@code docker inspect}
 * @param oomKilled     the kernel's OOM killer killed a process of its last run (its memory
 *                      cgroup counted an oom_kill), the State.OOMKilled of {@code docker inspect}
 */
public record ContainerRecord(
        String id,
        String name,
        String image,
        String imageId,
        List<String> command,
        String created,
        Integer exitCode,
        String finished,
        ContainerSpec spec,
        String started,
        int restartCount,
        boolean stoppedByHand,
        String error,
        boolean oomKilled) {

    /** A container just created at {@code created}: never started, never ended, no restarts. */
    public static ContainerRecord created(
            String id,
            String name,
            String image,
            String imageId,
            List<String> command,
            String created,
            ContainerSpec spec) {
        return new ContainerRecord(
                id, name, image, imageId, command, created, null, null, spec, null, 0, false, null, false);
    }

    /** Ended with {@code status} at {@code when}, after an OOM kill or not. */
    public ContainerRecord exited(int status, boolean oomKilled, String when) {
        return new ContainerRecord(
                id,
                name,
                image,
                imageId,
                command,
                created,
                status,
                when,
                spec,
                started,
                restartCount,
                stoppedByHand,
                error,
                oomKilled);
    }

    /**
     * Started at {@code when}, the {@code restarts}th restart by its policy: the last exit
     * status, the stop by hand, the last error and OOM kill no longer apply.
     */
    public ContainerRecord startedAt(String when, int restarts) {
        return new ContainerRecord(
                id, name, image, imageId, command, created, null, finished, spec, when, restarts, false, null, false);
    }

    /** Its start failed with {@code why}. */
    public ContainerRecord failed(String why) {
        return new ContainerRecord(
                id,
                name,
                image,
                imageId,
                command,
                created,
                exitCode,
                finished,
                spec,
                started,
                restartCount,
                stoppedByHand,
                why,
                oomKilled);
    }

    public ContainerRecord stoppedByHand(boolean byHand) {
        return new ContainerRecord(
                id,
                name,
                image,
                imageId,
                command,
                created,
                exitCode,
                finished,
                spec,
                started,
                restartCount,
                byHand,
                error,
                oomKilled);
    }

    public ContainerRecord renamed(String newName) {
        return new ContainerRecord(
                id,
                newName,
                image,
                imageId,
                command,
                created,
                exitCode,
                finished,
                spec,
                started,
                restartCount,
                stoppedByHand,
                error,
                oomKilled);
    }

    /** The same container with a changed spec ({@code docker update}). */
    public ContainerRecord withSpec(ContainerSpec newSpec) {
        return new ContainerRecord(
                id,
                name,
                image,
                imageId,
                command,
                created,
                exitCode,
                finished,
                newSpec,
                started,
                restartCount,
                stoppedByHand,
                error,
                oomKilled);
    }

    /** The spec, or for a record without one (a foreground canal run's) the image's defaults. */
    public ContainerSpec specOrDefault() {
        return spec != null ? spec : ContainerSpec.of(image);
    }

    /** The 12 hex digits docker shows. */
    public String shortId() {
        return id.substring(0, 12);
    }
}
