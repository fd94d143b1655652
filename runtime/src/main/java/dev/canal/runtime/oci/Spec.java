package dev.canal.runtime.oci;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A container's {@code config.json}, the root of the OCI runtime-spec configuration (config.md):
 * what to run, on which root filesystem, with which mounts, hooks and Linux settings.
 *
 * <p>Reading does not validate; {@link SpecValidator} checks what the spec requires of the
 * values. The mapping conventions (absent fields, unknown fields, unsigned numbers) are in the
 * package documentation.
 *
 * @param ociVersion the runtime-spec version the bundle follows, SemVer, for example "1.2.1"
 * @param hostname set in a new UTS namespace (config.md#hostname)
 * @param mounts applied in order, after the root (config.md#mounts)
 * @param annotations free-form metadata, reverse-domain keys (config.md#annotations)
 * @param linux the platform section for Linux (config-linux.md)
 */
public record Spec(
        String ociVersion,
        ProcessConfig process,
        Root root,
        String hostname,
        String domainname,
        List<Mount> mounts,
        Hooks hooks,
        Map<String, String> annotations,
        Linux linux,
        @KeepUnknown Map<String, Object> unknownFields) {

    public Spec {
        mounts = Immutable.list(mounts);
        annotations = Immutable.map(annotations);
        unknownFields = Immutable.map(unknownFields);
    }

    /** Reads a config.json file; a problem is an {@link InvalidSpecException} naming the JSON path. */
    public static Spec read(Path file) {
        return SpecReader.read(file);
    }

    /** Reads config.json text; errors name the source as {@code config.json}. */
    public static Spec parse(String json) {
        return SpecReader.parse(json, "config.json");
    }

    /** The same config with another {@code process}: what an {@code exec} runs in the container. */
    public Spec withProcess(ProcessConfig newProcess) {
        return new Spec(
                ociVersion, newProcess, root, hostname, domainname, mounts, hooks, annotations, linux, unknownFields);
    }

    /** This spec as {@code runc spec} would write it: tab-indented, no nulls, no empty arrays. */
    public String toJson() {
        return SpecJson.MAPPER.writeValueAsString(this);
    }
}
