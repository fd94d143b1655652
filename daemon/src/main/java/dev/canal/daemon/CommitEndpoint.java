package dev.canal.daemon;

import dev.canal.engine.ContainerCommit;
import dev.canal.engine.Engine;
import dev.canal.engine.build.CommitChanges;
import dev.canal.images.Image;
import dev.canal.images.ImageReference;
import dev.canal.images.manifest.ImageConfig.RunConfig;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /commit?container=&repo=&tag=&author=&comment=&pause=} (ImageCommit,
 * https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Image/operation/ImageCommit):
 * a container's changes as a new image. The body, a container Config, may set the new image's
 * Cmd, Entrypoint, Env, WorkingDir, User and Labels over the container's; then the {@code changes}
 * ({@code --change}, Dockerfile instructions) apply. Answers 201 with the new image's {@code Id}.
 */
final class CommitEndpoint {
    private final Engine engine;

    CommitEndpoint(Engine engine) {
        this.engine = engine;
    }

    void register(Routes routes) {
        routes.add("POST", "/commit", this::commit);
    }

    private void commit(Exchange exchange) {
        String container = exchange.query("container");
        if (container == null || container.isEmpty()) {
            throw ApiException.badRequest("commit: the container parameter is missing");
        }
        String repository = exchange.query("repo");
        String tag = exchange.query("tag");
        ImageReference name = null;
        if (repository != null && !repository.isEmpty()) {
            name = ImageReference.parse(repository + (tag == null || tag.isEmpty() ? "" : ":" + tag));
        }
        UnaryOperator<RunConfig> overrides = overrides(exchange.body());
        UnaryOperator<RunConfig> changes = CommitChanges.parse(exchange.queries("changes"));
        Image image = engine.commit(
                container,
                new ContainerCommit.Request(
                        name,
                        exchange.query("author"),
                        exchange.query("comment"),
                        run -> changes.apply(overrides.apply(run)),
                        exchange.flag("pause", true),
                        null));
        exchange.json(201, Json.object().put("Id", image.id().toString()));
    }

    /** The body's settings over the container's; none when the CLI sends no config ({@code null}). */
    private static UnaryOperator<RunConfig> overrides(JsonNode body) {
        if (!body.isObject()) {
            return UnaryOperator.identity();
        }
        List<String> cmd = Json.strings(body, "Cmd");
        List<String> entrypoint = Json.strings(body, "Entrypoint");
        List<String> env = Json.strings(body, "Env");
        String workingDir = Json.string(body, "WorkingDir");
        String user = Json.string(body, "User");
        Map<String, String> labels = Json.stringMap(body, "Labels");
        return run -> new RunConfig(
                user == null || user.isEmpty() ? run.user() : user,
                run.exposedPorts(),
                env == null || env.isEmpty() ? run.env() : env,
                entrypoint == null ? run.entrypoint() : entrypoint,
                cmd == null ? run.cmd() : cmd,
                run.volumes(),
                workingDir == null || workingDir.isEmpty() ? run.workingDir() : workingDir,
                labels.isEmpty() ? run.labels() : labels,
                run.stopSignal(),
                run.healthcheck(),
                run.onBuild(),
                run.shell());
    }
}
