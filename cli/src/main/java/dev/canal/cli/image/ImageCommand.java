package dev.canal.cli.image;

import dev.canal.engine.Engine;
import dev.canal.engine.ImagePrune;
import dev.canal.images.ImageLibrary.PrunedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code canal image ...}: image management, like {@code docker image}. */
@Command(
        name = "image",
        mixinStandardHelpOptions = true,
        description = "Manage images.",
        subcommands = ImageCommand.Prune.class)
public final class ImageCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code canal image prune [-a] [-f] [--filter KEY=VALUE]...}: {@link ImagePrune}, with the
     * docker CLI's question and output. As docker, it asks first unless {@code -f}; anything but
     * y or yes (or no answer, as from /dev/null) keeps everything.
     */
    @Command(
            name = "prune",
            mixinStandardHelpOptions = true,
            description = "Remove unused images, then the layers no image or container uses.")
    public static final class Prune implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(
                names = {"-a", "--all"},
                description = "Remove all unused images, not just dangling ones.")
        boolean all;

        @Option(
                names = {"-f", "--force"},
                description = "Do not prompt for confirmation.")
        boolean force;

        @Option(
                names = "--filter",
                paramLabel = "KEY=VALUE",
                description =
                        "Provide filter values (e.g. \"until=<timestamp>\", \"label=KEY\", \"label!=KEY=VALUE\").")
        List<String> filters = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            // docker's opts.FilterOpt: the name before the first '=', lower-cased, and the value after.
            Map<String, List<String>> given = new LinkedHashMap<>();
            for (String filter : filters) {
                int equals = filter.indexOf('=');
                if (equals < 0) {
                    throw new IllegalArgumentException("bad format of filter (expected name=value)");
                }
                given.computeIfAbsent(
                                filter.substring(0, equals).strip().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                        .add(filter.substring(equals + 1).strip());
            }
            // The docker CLI always sends dangling: true, or false for -a.
            given.computeIfAbsent("dangling", name -> new ArrayList<>()).add(String.valueOf(!all));
            if (!force && !confirmed()) {
                return 0;
            }
            ImagePrune.Report report;
            try (Engine engine = Commands.canal(spec).engine()) {
                report = ImagePrune.run(engine, given, Instant.now());
            }
            var out = spec.commandLine().getOut();
            if (!report.images().isEmpty()) {
                out.println("Deleted Images:");
                for (PrunedImage image : report.images()) {
                    image.untagged().forEach(name -> out.println("untagged: " + name.familiarName()));
                    out.println("deleted: " + image.id());
                }
                out.println();
            }
            out.println("Total reclaimed space: " + HumanUnits.size(report.spaceReclaimed()));
            out.flush();
            return 0;
        }

        /** docker's question, answered on standard input: y or yes, in any case, goes on. */
        private boolean confirmed() throws IOException {
            var out = spec.commandLine().getOut();
            out.print(
                    all
                            ? "WARNING! This will remove all images without at least one container associated to them.\n"
                            : "WARNING! This will remove all dangling images.\n");
            out.print("Are you sure you want to continue? [y/N] ");
            out.flush();
            // Not closed: that would close canal's own standard input.
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
        }
    }
}
