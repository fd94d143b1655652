package dev.canal.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The build context the build tests share: a two-stage Dockerfile whose first stage RUNs a
 * command over a copied file and whose second copies the result {@code --from} it, with ENV,
 * WORKDIR, USER and CMD, a COPY with {@code --chown} and {@code --chmod}, a meta ARG naming the
 * base image, and a {@code .dockerignore}.
 */
final class BuildContexts {

    /** Steps in the stages that can come from the cache: all but the meta ARG and the two FROMs. */
    static final int CACHEABLE_STEPS = 11;

    /** What those steps are when only {@code src/name.txt} changed: ARG, WORKDIR, ENV, WORKDIR. */
    static final int CACHED_AFTER_A_CHANGED_SOURCE = 4;

    static final String DOCKERFILE = """
            ARG BASE
            FROM $BASE AS builder
            ARG GREETING=hello
            WORKDIR /work
            COPY src/ ./src/
            RUN echo "$GREETING from $(cat src/name.txt)" > /work/out.txt
            FROM $BASE
            ENV APP=/app
            WORKDIR $APP
            COPY --from=builder /work/out.txt .
            COPY --chown=1000:1000 --chmod=600 src/name.txt owned.txt
            COPY src/ /src/
            USER user
            CMD ["cat", "/app/out.txt"]
            """;

    /** What the image shows: its user, the owned file's owner and mode, its workdir and env, /src. */
    static final String INSPECTION = "id -u; stat -c %u:%a owned.txt; pwd; echo $APP; ls /src";

    static final String INSPECTED = "1000\n1000:600\n/app\n/app\nname.txt";

    private BuildContexts() {}

    /** Writes the context into {@code directory}, its source file saying {@code name}. */
    static Path create(Path directory, String name) throws IOException {
        Files.createDirectories(directory.resolve("src"));
        Files.writeString(directory.resolve("Dockerfile"), DOCKERFILE);
        Files.writeString(directory.resolve("src/name.txt"), name + "\n");
        Files.writeString(directory.resolve("src/ignored.txt"), "left out\n");
        Files.writeString(directory.resolve(".dockerignore"), "src/ignored.txt\n");
        return directory;
    }
}
