package dev.canal.images.testing;

import dev.canal.images.Digest;
import dev.canal.images.MediaTypes;
import dev.canal.images.manifest.Descriptor;
import dev.canal.images.manifest.ImageConfig;
import dev.canal.images.manifest.ImageManifest;
import dev.canal.images.manifest.ManifestJson;
import dev.canal.images.store.ContentStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Puts images made of given layer tars straight into a content store, as a pull or import would. */
public final class TestImages {

    /** How a layer blob is compressed. */
    public enum Compression {
        NONE,
        GZIP,
        ZSTD
    }

    private TestImages() {}

    /** Stores the layers (compressed as asked), a config and a manifest; returns the manifest digest. */
    public static Digest store(
            ContentStore store, Compression compression, ImageConfig.RunConfig run, byte[]... layerTars)
            throws IOException, InterruptedException {
        var layers = new ArrayList<Descriptor>();
        var diffIds = new ArrayList<Digest>();
        for (byte[] tar : layerTars) {
            byte[] blob = compress(tar, compression);
            layers.add(Descriptor.of(mediaType(compression), store.put(blob), blob.length));
            diffIds.add(Digest.of(tar));
        }
        return storeManifest(store, config("amd64", run, diffIds), layers);
    }

    public static ImageConfig config(String architecture, ImageConfig.RunConfig run, List<Digest> diffIds) {
        return new ImageConfig(
                "2026-01-02T03:04:05Z",
                null,
                architecture,
                "linux",
                null,
                run,
                new ImageConfig.RootFs("layers", diffIds),
                null);
    }

    public static Digest storeManifest(ContentStore store, ImageConfig config, List<Descriptor> layers) {
        byte[] configJson = ManifestJson.write(config);
        var manifest = new ImageManifest(
                2,
                MediaTypes.OCI_MANIFEST,
                Descriptor.of(MediaTypes.OCI_CONFIG, store.put(configJson), configJson.length),
                layers,
                null);
        return store.put(ManifestJson.write(manifest));
    }

    public static byte[] compress(byte[] tar, Compression compression) throws IOException, InterruptedException {
        return switch (compression) {
            case NONE -> tar;
            case GZIP -> {
                var out = new ByteArrayOutputStream();
                try (var gzip = new GZIPOutputStream(out)) {
                    gzip.write(tar);
                }
                yield out.toByteArray();
            }
            case ZSTD -> zstdCli(tar);
        };
    }

    /** The zstd command line tool (apt-get install zstd), so the decoder reads what the reference encoder writes. */
    private static byte[] zstdCli(byte[] tar) throws IOException, InterruptedException {
        Path input = Files.createTempFile("layer-", ".tar");
        try {
            Files.write(input, tar);
            Process zstd = new ProcessBuilder("zstd", "-q", "-c", "-19", input.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            byte[] compressed = zstd.getInputStream().readAllBytes();
            if (zstd.waitFor() != 0) {
                throw new IOException("zstd failed");
            }
            return compressed;
        } finally {
            Files.delete(input);
        }
    }

    private static String mediaType(Compression compression) {
        return switch (compression) {
            case NONE -> MediaTypes.OCI_LAYER;
            case GZIP -> MediaTypes.OCI_LAYER_GZIP;
            case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
        };
    }
}
