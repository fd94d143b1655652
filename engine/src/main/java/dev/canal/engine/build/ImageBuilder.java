package dev.canal.engine.build;

import dev.canal.engine.Engine;
import dev.canal.images.Digest;
import dev.canal.images.Image;
import dev.canal.images.ImageCommit;
import dev.canal.images.ImageReference;
import dev.canal.images.manifest.ManifestJson;
import dev.canal.images.registry.ImagePuller;
import dev.canal.images.registry.PullOptions;
import dev.canal.images.registry.PullProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Docker's classic builder (moby builder/dockerfile): a Dockerfile's instructions run one after
 * the other, each making an image from the one before, so that every step's result can be
 * reused by the next build with the same parent and the same step ({@link BuildCache}).
 * <ul>
 *   <li>RUN runs in a real container of the engine on the parent image ({@link StepContainer})
 *       with the stage's environment, build arguments, user, working directory and shell, and
 *       its changes become a layer;
 *   <li>COPY and ADD copy from the context, or {@code --from} a stage or an image, into a
 *       container that is never started, whose changes become a layer ({@link FileCopy});
 *   <li>the other instructions change only the config ({@link ImageSettings}): an image with
 *       no new layer, as docker's {@code #(nop)} steps;
 *   <li>each stage starts from its FROM: an image (pulled if missing), an earlier stage, or
 *       {@code scratch}; {@code --target} stops at a stage, {@code --label} adds a last LABEL.
 * </ul>
 * The Dockerfile is parsed whole first, so a bad one fails before anything is made; a step that
 * fails removes its container, and leaves the images of the steps before it, as docker does,
 * for the cache.
 */
public final class ImageBuilder {

    private final Engine engine;
    private final BuildCache cache;

    public ImageBuilder(Engine engine) {
        this.engine = engine;
        this.cache = new BuildCache(engine.images());
    }

    /**
     * Builds {@code request}, reporting to {@code log} as docker's classic builder prints, and
     * names the result with the request's tags.
     *
     * @throws DockerfileException for a Dockerfile that cannot be parsed or expanded
     * @throws BuildException      for a step that fails
     */
    public Image build(BuildRequest request, BuildLog log) {
        Dockerfile dockerfile = Dockerfile.parse(request.dockerfile());
        List<Stage> stages = dockerfile.stagesUpTo(request.target());
        var run = new Run(request, log, dockerfile, stages);
        Image result = run.all();
        if (result == null) {
            throw new BuildException("No image was generated. Is your Dockerfile empty?");
        }
        log.text("Successfully built " + result.id().hex().substring(0, 12) + "\n");
        for (ImageReference tag : request.tags()) {
            engine.images().tag(result.id().toString(), tag);
            log.text("Successfully tagged " + tag.familiarName() + "\n");
        }
        run.args.unconsumedWarning().ifPresent(warning -> log.text(warning + "\n"));
        return result;
    }

    /** One build in progress: its step count, its stages' results, its build arguments. */
    private final class Run {
        private final BuildRequest request;
        private final BuildLog log;
        private final Dockerfile dockerfile;
        private final List<Stage> stages;
        private final ShellLexer lexer;
        private final BuildArgs args;
        private final DockerIgnore ignore;
        private final int total;
        private final Map<String, Image> stageImages = new HashMap<>();
        private int step;

        Run(BuildRequest request, BuildLog log, Dockerfile dockerfile, List<Stage> stages) {
            this.request = request;
            this.log = log;
            this.dockerfile = dockerfile;
            this.stages = stages;
            this.lexer = dockerfile.lexer();
            this.args = new BuildArgs(request.buildArgs());
            this.ignore = readIgnore(request.context());
            this.total = dockerfile.metaArgs().size()
                    + stages.stream()
                            .mapToInt(stage -> 1 + stage.instructions().size())
                            .sum()
                    + (request.labels().isEmpty() ? 0 : 1);
        }

        Image all() {
            dockerfile.warnings().forEach(warning -> log.text("[WARNING]: " + warning + "\n"));
            for (Instruction.Arg meta : dockerfile.metaArgs()) {
                announce(meta);
                args.addMetaArg(meta, lexer);
            }
            Image last = null;
            for (int index = 0; index < stages.size(); index++) {
                Stage stage = stages.get(index);
                var instructions = new ArrayList<>(stage.instructions());
                if (index == stages.size() - 1 && !request.labels().isEmpty()) {
                    instructions.add(labelStep(request.labels()));
                }
                last = new StageRun(this, stage.from()).run(instructions);
                stageImages.put(Integer.toString(index), last);
                if (stage.name() != null) {
                    stageImages.put(stage.name(), last);
                }
            }
            return last;
        }

        void announce(Instruction instruction) {
            step++;
            log.text("Step " + step + "/" + total + " : " + instruction.source() + "\n");
        }

        /** An earlier stage's result by name or index, else an image by name (pulled if missing). */
        Image image(String name) {
            Image stage = stageImages.get(name.toLowerCase(Locale.ROOT));
            return stage != null ? stage : baseImage(name);
        }

        Path context() {
            return request.context();
        }
    }

    /** One stage: its current image (null until the first step of a {@code FROM scratch}) and settings. */
    private final class StageRun {
        private final Run run;
        private final BuildArgs args;
        private Image image;
        private ImageSettings settings;
        private String author;

        StageRun(Run run, Instruction.From from) {
            this.run = run;
            this.args = run.args.forStage();
            run.announce(from);
            Instruction.From expanded = from.expand(run.lexer, run.args.metaValues());
            if (!expanded.image().equalsIgnoreCase("scratch")) {
                image = run.image(expanded.image());
                run.log.text(" ---> " + shortId(image) + "\n");
            }
            settings = new ImageSettings(image == null ? null : image.config().runConfig());
        }

        Image run(List<Instruction> instructions) {
            for (Instruction instruction : instructions) {
                run.announce(instruction);
                Instruction expanded = instruction.expand(run.lexer, args.variables(settings.env()));
                switch (expanded) {
                    case Instruction.Run command -> runStep(command);
                    case Instruction.FileTransfer transfer -> copyStep(transfer);
                    case Instruction.Arg arg -> {
                        args.declare(arg);
                        configStep(expanded, new TreeMap<>(args.values()).toString());
                    }
                    case Instruction.Maintainer maintainer -> {
                        author = maintainer.name();
                        configStep(expanded, author);
                    }
                    default -> {
                        settings.apply(expanded);
                        configStep(expanded, "");
                    }
                }
                run.log.text(" ---> " + shortId(image) + "\n");
            }
            return image;
        }

        /** A step that changes only the config: keyed on the config it leaves. */
        private void configStep(Instruction instruction, String extra) {
            var config = settings.toRunConfig();
            String createdBy = "/bin/sh -c #(nop) " + instruction.source();
            reuseOr(
                    List.of(
                            instruction.source(),
                            extra,
                            new String(ManifestJson.write(config), StandardCharsets.UTF_8)),
                    () -> new ImageCommit(image, null, config, createdBy, author, null).store(engine.images(), null));
        }

        private void runStep(Instruction.Run command) {
            List<String> argv = settings.command(command.command(), command.shellForm());
            var env = new ArrayList<>(settings.env());
            var used = new ArrayList<String>();
            args.values().forEach((name, value) -> {
                if (env.stream().noneMatch(variable -> variable.startsWith(name + "="))) {
                    env.add(name + "=" + value);
                    used.add(name + "=" + value);
                }
            });
            String createdBy = (used.isEmpty() ? "" : "|" + used.size() + " " + String.join(" ", used) + " ")
                    + String.join(" ", argv);
            reuseOr(List.of("RUN", createdBy, Objects.toString(settings.user(), ""), settings.workingDir()), () -> {
                Image parent = parentImage();
                try (StepContainer container =
                        StepContainer.create(engine, parent, argv, env, settings, run.request.network())) {
                    run.log.text(" ---> Running in " + container.id().substring(0, 12) + "\n");
                    int status = container.run(run.log);
                    if (status != 0) {
                        throw new BuildException(
                                "The command '" + String.join(" ", argv) + "' returned a non-zero code: " + status);
                    }
                    Image made = container.commit(settings.toRunConfig(), createdBy);
                    run.log.text(
                            "Removing intermediate container " + container.id().substring(0, 12) + "\n");
                    return made;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BuildException("the build was interrupted");
                }
            });
        }

        private void copyStep(Instruction.FileTransfer transfer) {
            boolean add = transfer instanceof Instruction.Add;
            String what = add ? "ADD" : "COPY";
            for (String source : transfer.sources()) {
                if (add && (source.startsWith("http://") || source.startsWith("https://"))) {
                    throw new BuildException("ADD " + source + ": downloading a URL is not supported: this build has "
                            + "no network of its own to fetch it from; download it into the context and ADD that");
                }
            }
            String from = transfer instanceof Instruction.Copy copy ? copy.from() : null;
            Image fromImage = from == null ? null : run.image(from);
            String destination = settings.absolute(transfer.destination());
            StepContainer fromContainer = fromImage == null
                    ? null
                    : StepContainer.create(engine, fromImage, List.of("#(nop) " + what), List.of(), settings, "none");
            try (SourceFiles sources = fromContainer == null
                    ? SourceFiles.open(run.context(), run.ignore::matches)
                    : SourceFiles.open(fromContainer.rootfs(), path -> false)) {
                var copy =
                        new FileCopy(sources, transfer.sources(), destination, transfer.chown(), transfer.chmod(), add);
                Digest checksum = copy.checksum();
                String createdBy = "/bin/sh -c #(nop) " + what + " " + checksum + " in " + destination;
                reuseOr(
                        List.of(
                                what,
                                String.join("\0", transfer.sources()),
                                destination,
                                transfer.chown() + "",
                                transfer.chmod() + "",
                                checksum.toString()),
                        () -> {
                            Image parent = parentImage();
                            try (StepContainer container = StepContainer.create(
                                    engine,
                                    parent,
                                    List.of("/bin/sh", "-c", "#(nop) " + what),
                                    List.of(),
                                    settings,
                                    "none")) {
                                copy.into(
                                        container.rootfs(),
                                        engine.images().content().temporaryDirectory());
                                return container.commit(settings.toRunConfig(), createdBy);
                            } catch (IOException e) {
                                throw new UncheckedIOException(what + " failed: " + e.getMessage(), e);
                            }
                        });
            } catch (IOException e) {
                throw new UncheckedIOException(what + " failed: " + e.getMessage(), e);
            } finally {
                if (fromContainer != null) {
                    fromContainer.close();
                }
            }
        }

        /**
         * The step's image from the cache, keyed on the parent and {@code parts}, or made now
         * and remembered; the stage goes on from it.
         */
        private void reuseOr(List<String> parts, Supplier<Image> make) {
            String parent = image == null ? "scratch" : image.id().toString();
            Digest key = BuildCache.key(parts);
            if (!run.request.noCache()) {
                var cached = cache.find(parent, key);
                if (cached.isPresent()) {
                    run.log.text(" ---> Using cache\n");
                    adopt(cached.get());
                    return;
                }
            }
            Image made = make.get();
            cache.record(parent, key, made);
            adopt(made);
        }

        private void adopt(Image made) {
            image = made;
            settings = new ImageSettings(made.config().runConfig());
        }

        /**
         * The image a container of this stage starts from: for {@code FROM scratch}, an image
         * of no layers, made once (the cache keeps its id the same from build to build).
         */
        private Image parentImage() {
            if (image == null) {
                var empty = settings.toRunConfig();
                reuseOr(
                        List.of("FROM scratch"),
                        () -> new ImageCommit(null, null, empty, "/bin/sh -c #(nop) FROM scratch", author, null)
                                .store(engine.images(), null));
            }
            return image;
        }
    }

    private static String shortId(Image image) {
        return image.id().hex().substring(0, 12);
    }

    /** A FROM or --from image: the store's, else pulled as {@code docker build} pulls it. */
    private Image baseImage(String name) {
        return engine.images()
                .find(name)
                .orElseGet(() -> new ImagePuller(engine.images(), PullOptions.defaults())
                        .pull(ImageReference.parse(name), PullProgress.NONE)
                        .image());
    }

    /**
     * The {@code --label} options as the LABEL step docker appends (moby builder.go), quoted as
     * it quotes them so that expanding the step leaves them as given.
     */
    private static Instruction labelStep(Map<String, String> labels) {
        var pairs = new TreeMap<>(labels)
                .entrySet().stream()
                        .map(label -> new KeyValue("\"" + label.getKey() + "\"", "'" + label.getValue() + "'"))
                        .toList();
        String source = "LABEL "
                + String.join(
                        " ",
                        pairs.stream()
                                .map(pair -> pair.key() + "=" + pair.value())
                                .toList());
        return new Instruction.Label(pairs, 0, source);
    }

    private static DockerIgnore readIgnore(Path context) {
        Path file = context.resolve(".dockerignore");
        try {
            return Files.isRegularFile(file) ? DockerIgnore.parse(Files.readString(file)) : DockerIgnore.none();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
