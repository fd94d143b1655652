package dev.canal.images.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.canal.images.Digest;
import java.util.List;
import java.util.Map;

/**
 * An image's configuration (config.md; Docker's {@code container.image.v1} is a superset):
 * what to run by default, and the ordered diffIDs, the digests of each layer's uncompressed
 * tar, which identify the layers independently of how they were compressed.
 */
public record ImageConfig(
        String created,
        String author,
        String architecture,
        String os,
        String variant,
        @JsonProperty("config") RunConfig runConfig,
        RootFs rootfs,
        List<History> history) {

    public static ImageConfig parse(byte[] json) {
        ImageConfig config = ManifestJson.read(json, ImageConfig.class, "image config");
        if (config.rootfs() == null) {
            throw new dev.canal.images.ImageException("image config: field 'rootfs' is missing");
        }
        return config;
    }

    /** The platform the config says the image is built for. */
    public Platform platform() {
        return new Platform(architecture, os, variant, null, null);
    }

    /** The default process: field names are Docker's capitalized Go names, kept by the OCI spec. */
    public record RunConfig(
            @JsonProperty("User") String user,
            @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
            @JsonProperty("Env") List<String> env,
            @JsonProperty("Entrypoint") List<String> entrypoint,
            @JsonProperty("Cmd") List<String> cmd,
            @JsonProperty("Volumes") Map<String, Object> volumes,
            @JsonProperty("WorkingDir") String workingDir,
            @JsonProperty("Labels") Map<String, String> labels,
            @JsonProperty("StopSignal") String stopSignal,
            @JsonProperty("Healthcheck") Healthcheck healthcheck,
            @JsonProperty("OnBuild") List<String> onBuild,
            @JsonProperty("Shell") List<String> shell) {

        public static final RunConfig EMPTY =
                new RunConfig(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * Docker's {@code HEALTHCHECK}: {@code Test} is {@code ["NONE"]}, {@code ["CMD", ...]} or
     * {@code ["CMD-SHELL", command]}; durations in nanoseconds, 0 for docker's default.
     */
    public record Healthcheck(
            @JsonProperty("Test") List<String> test,
            @JsonProperty("Interval") Long interval,
            @JsonProperty("Timeout") Long timeout,
            @JsonProperty("StartPeriod") Long startPeriod,
            @JsonProperty("StartInterval") Long startInterval,
            @JsonProperty("Retries") Integer retries) {}

    /** {@code type} is always {@code layers}; {@code diff_ids} lowest layer first. */
    public record RootFs(
            String type, @JsonProperty("diff_ids") List<Digest> diffIds) {

        public RootFs {
            diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
        }
    }

    /** One build step; {@code empty_layer} steps (ENV, CMD) made no layer. */
    public record History(
            String created,
            @JsonProperty("created_by") String createdBy,
            String author,
            String comment,
            @JsonProperty("empty_layer") Boolean emptyLayer) {}
}
