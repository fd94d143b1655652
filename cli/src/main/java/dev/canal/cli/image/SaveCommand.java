package dev.canal.cli.image;

import dev.canal.engine.ImageSave;
import dev.canal.images.ImageException;
import dev.canal.images.ImageLibrary;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code canal save -o FILE IMAGE...}: images as one tar that is both a docker-archive ({@code
 * manifest.json}) and an OCI image layout ({@code index.json}), as docker 25 and later write it
 * ({@link ImageSave}); {@code canal load -i FILE} and {@code docker load} read it back. The file
 * appears only whole: it is written beside its final name and renamed there.
 */
@Command(
        name = "save",
        mixinStandardHelpOptions = true,
        description = "Save images to a tar archive (docker-archive and OCI layout), to standard output by default.")
public final class SaveCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write to this file instead of standard output.")
    Path output;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Names or ids of the images to save.")
    List<String> images;

    @Override
    public Integer call() throws IOException {
        ImageLibrary library = Commands.canal(spec).images();
        images.forEach(library::resolve); // an unknown name fails before anything is written
        if (output == null) {
            if (PullCommand.isTerminal()) {
                throw new ImageException(
                        "save: refusing to write a tar archive to a terminal; use -o FILE or redirect");
            }
            try (OutputStream out = new FileOutputStream(java.io.FileDescriptor.out)) {
                ImageSave.write(library, images, out);
            }
            return 0;
        }
        Path target = output.toAbsolutePath();
        Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                ImageSave.write(library, images, out);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return 0;
    }
}
