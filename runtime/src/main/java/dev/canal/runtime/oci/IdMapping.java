package dev.canal.runtime.oci;

import java.util.Map;

/**
 * One line of a user namespace's uid_map or gid_map (config-linux.md#user-namespace-mappings,
 * user_namespaces(7)): ids {@code containerID .. containerID+size-1} inside are
 * {@code hostID .. hostID+size-1} outside. Mounts use the same shape for idmapped mounts.
 * The three are uint32 in the spec, held in longs so that their sums cannot wrap.
 */
public record IdMapping(
        long containerID,
        long hostID,
        long size,
        @KeepUnknown Map<String, Object> unknownFields) {

    public IdMapping {
        unknownFields = Immutable.map(unknownFields);
    }
}
