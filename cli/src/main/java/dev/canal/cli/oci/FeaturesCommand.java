package dev.canal.cli.oci;

import dev.canal.cli.VersionInfo;
import dev.canal.runtime.container.CanalFeatures;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code features}: the runtime-spec's features document (features.md), what {@code runc
 * features} prints: which config.json names Canal recognises.
 */
@Command(name = "features", description = "Show the features Canal implements, as runtime-spec features JSON.")
final class FeaturesCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        // runc's org.opencontainers.runc.version and .checkpoint.enabled, under Canal's own prefix.
        var annotations = new TreeMap<>(Map.of(
                "dev.canal.version", VersionInfo.version(),
                "dev.canal.java.version", Runtime.version().toString(),
                "dev.canal.checkpoint.enabled", "false"));
        System.out.println(CanalFeatures.of(annotations).toJson());
        return 0;
    }
}
