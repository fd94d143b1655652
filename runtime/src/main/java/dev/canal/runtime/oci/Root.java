package dev.canal.runtime.oci;

import java.util.Map;

/**
 * The container's root filesystem (config.md#root).
 *
 * @param path the rootfs directory, absolute or relative to the bundle
 * @param readonly remount the root read-only before the process starts
 */
public record Root(
        String path, Boolean readonly, @KeepUnknown Map<String, Object> unknownFields) {

    public Root {
        unknownFields = Immutable.map(unknownFields);
    }
}
