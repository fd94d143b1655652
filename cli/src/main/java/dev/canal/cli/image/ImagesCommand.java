package dev.canal.cli.image;

import dev.canal.cli.TextTable;
import dev.canal.images.ImageSummary;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code canal images}: the named images, as {@code docker images} shows them. */
@Command(name = "images", mixinStandardHelpOptions = true, description = "List images.")
public final class ImagesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<ImageSummary> images = Commands.canal(spec).images().list();
        print(images, spec.commandLine().getOut(), java.time.Instant.now());
        return 0;
    }

    /** The table, as docker prints it. */
    static void print(List<ImageSummary> images, PrintWriter out, java.time.Instant now) {
        var rows = new java.util.ArrayList<String[]>();
        rows.add(new String[] {"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"});
        for (ImageSummary image : images) {
            rows.add(new String[] {
                image.name().familiarRepository(),
                image.name().tag() == null ? "<none>" : image.name().tag(),
                image.id().shortHex(),
                HumanUnits.ago(image.created(), now),
                HumanUnits.size(image.size())
            });
        }
        TextTable.print(rows, out);
    }
}
