package dev.canal.runtime.oci;

import java.util.List;
import java.util.Map;

/**
 * One mount on top of the root (config.md#mounts), in mount(8)'s terms.
 *
 * @param destination where it appears in the container; must be absolute
 * @param type the filesystem type ("proc", "tmpfs", "bind" or "none" for a bind mount)
 * @param options fstab-style options: flags such as "nosuid" and data such as "mode=755"
 * @param uidMappings for an idmapped mount: how file owners are mapped (config.md#posix-platform-mounts)
 */
public record Mount(
        String destination,
        String type,
        String source,
        List<String> options,
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings,
        @KeepUnknown Map<String, Object> unknownFields) {

    public Mount {
        options = Immutable.list(options);
        uidMappings = Immutable.list(uidMappings);
        gidMappings = Immutable.list(gidMappings);
        unknownFields = Immutable.map(unknownFields);
    }
}
