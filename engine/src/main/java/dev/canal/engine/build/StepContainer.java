package dev.canal.engine.build;

import dev.canal.engine.ContainerCommit;
import dev.canal.engine.ContainerRecord;
import dev.canal.engine.ContainerSpec;
import dev.canal.engine.Engine;
import dev.canal.engine.OutputSink;
import dev.canal.images.Image;
import dev.canal.images.manifest.ImageConfig.RunConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The container of one build step, a real container of the engine as the classic builder makes
 * (moby builder/dockerfile/containerbackend.go): created on the step's parent image, for RUN
 * started with its output going to the build's, then committed as the step's image and
 * removed. The image gets the stage's config, not the container's: a RUN's command is not the
 * image's CMD.
 */
final class StepContainer implements AutoCloseable {

    /** How long a RUN's last output may take to arrive after its exit. */
    private static final long DRAIN_SECONDS = 10;

    private final Engine engine;
    private final ContainerRecord record;

    private StepContainer(Engine engine, ContainerRecord record) {
        this.engine = engine;
        this.record = record;
    }

    /**
     * Creates the container: {@code command} on {@code parent} with the stage's environment
     * (plus the build arguments a RUN sees), user and working directory, on {@code network}.
     */
    static StepContainer create(
            Engine engine,
            Image parent,
            List<String> command,
            List<String> env,
            ImageSettings settings,
            String network) {
        var spec = new ContainerSpec(
                        parent.id().toString(),
                        command,
                        List.of(),
                        env,
                        settings.workingDir(),
                        settings.user(),
                        null,
                        false,
                        false,
                        false,
                        null,
                        null,
                        null,
                        null)
                .withHost(ContainerSpec.HostSettings.DEFAULTS.withNetwork(network));
        return new StepContainer(engine, engine.create(spec, null));
    }

    String id() {
        return record.id();
    }

    /** The container's mounted root filesystem, for COPY and ADD. */
    Path rootfs() {
        return engine.directory(record.id()).resolve("merged");
    }

    /** Runs it to its end, its output to {@code log}; returns its exit status. */
    int run(BuildLog log) throws InterruptedException {
        CountDownLatch drained = new CountDownLatch(1);
        Runnable detach = engine.attach(record.id(), new OutputSink() {
            @Override
            public void write(String stream, byte[] bytes, int offset, int length) {
                log.text(new String(bytes, offset, length, StandardCharsets.UTF_8));
            }

            @Override
            public void end() {
                drained.countDown();
            }
        });
        try {
            var exit = engine.waitFor(record.id(), "next-exit");
            engine.start(record.id());
            int status = exit.get();
            drained.await(DRAIN_SECONDS, TimeUnit.SECONDS);
            return status;
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "the step's container failed: " + e.getCause().getMessage(), e);
        } finally {
            detach.run();
        }
    }

    /** Commits its changes as an image known by id, with the stage's {@code run} config. */
    Image commit(RunConfig run, String createdBy) {
        return engine.commit(
                record.id(), new ContainerCommit.Request(null, null, null, ignored -> run, false, createdBy));
    }

    @Override
    public void close() {
        engine.remove(record.id(), true, false);
    }
}
