package dev.canal.images.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.canal.images.Image;
import dev.canal.images.ImageLibrary;
import dev.canal.images.ImageReference;
import dev.canal.images.manifest.ImageConfig;
import dev.canal.images.tar.TarEntry;
import dev.canal.images.tar.TarReader;
import dev.canal.images.testing.TarBuilder;
import dev.canal.images.testing.TestImages;
import dev.canal.runtime.testing.RequiresRoot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer unpacked into overlayfs's notation (a whiteout device, an opaque attribute) and
 * written back by {@link LayerDiff} is the image spec's again: the same members, in sorted order.
 */
@RequiresRoot
class LayerDiffTest {

    @TempDir
    Path root;

    @Test
    void anUnpackedLayerWritesBackWithItsWhiteoutsOpaqueDirectoriesAndLinks() throws Exception {
        byte[] layer = new TarBuilder()
                .directory("var/", 0755)
                .file("var/.wh.gone", "")
                .directory("opaque/", 0700)
                .file("opaque/.wh..wh..opq", "")
                .file("opaque/kept", "new")
                .file("bin/tool", 04755, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8))
                .hardLink("bin/tool-again", "bin/tool")
                .symlink("bin/sh", "/bin/tool")
                .build();
        ImageLibrary library = ImageLibrary.open(root.resolve("store"));
        Image image = library.register(
                ImageReference.parse("diff:1"),
                TestImages.store(library.content(), TestImages.Compression.NONE, ImageConfig.RunConfig.EMPTY, layer));

        var out = new ByteArrayOutputStream();
        LayerDiff.write(image.layerDirectories().getFirst(), out);

        var members = new ArrayList<String>();
        TarReader tar = new TarReader(new ByteArrayInputStream(out.toByteArray()));
        for (TarEntry entry = tar.next(); entry != null; entry = tar.next()) {
            members.add(entry.name() + " " + entry.type() + " " + Integer.toOctalString(entry.mode())
                    + (entry.linkName() == null || entry.linkName().isEmpty() ? "" : " -> " + entry.linkName()));
        }
        assertEquals(
                List.of(
                        "bin/ DIRECTORY 755",
                        "bin/sh SYMLINK 777 -> /bin/tool",
                        "bin/tool REGULAR 4755",
                        "bin/tool-again HARD_LINK 4755 -> bin/tool",
                        "opaque/ DIRECTORY 700",
                        "opaque/.wh..wh..opq REGULAR 0",
                        "opaque/kept REGULAR 644",
                        "var/ DIRECTORY 755",
                        "var/.wh.gone REGULAR 0"),
                members);
    }
}
