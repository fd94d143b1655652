package dev.canal.images.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The platform an image runs on, as an index entry states it (image-index.md): operating
 * system and CPU architecture in Go's GOOS/GOARCH names, and an optional variant ({@code v8}
 * for arm64).
 */
public record Platform(
        String architecture,
        String os,
        String variant,
        @JsonProperty("os.version") String osVersion,
        @JsonProperty("os.features") List<String> osFeatures) {

    /** What Canal runs: Linux on x86-64. */
    public static final Platform LINUX_AMD64 = of("linux", "amd64");

    public static Platform of(String os, String architecture) {
        return new Platform(architecture, os, null, null, null);
    }

    /**
     * Whether an image for {@code offered} runs here when this platform is wanted: same OS and
     * architecture, and the same variant when this one names a variant.
     */
    public boolean accepts(Platform offered) {
        return offered != null
                && os.equals(offered.os())
                && architecture.equals(offered.architecture())
                && (variant == null || variant.equals(offered.variant()));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
