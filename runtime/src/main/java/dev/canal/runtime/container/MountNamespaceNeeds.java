package dev.canal.runtime.container;

import dev.canal.runtime.oci.Linux;
import dev.canal.runtime.oci.Spec;
import java.util.ArrayList;
import java.util.List;

/**
 * What a config may only ask for with a mount namespace of the container's own (new or joined).
 * Without one, the process gets its root from chroot(2) alone, and anything that would be
 * mounted (the spec's mounts, /dev's nodes, masked and read-only paths, a read-only root, the
 * terminal's bind mount) would be mounted in the caller's mount namespace, which Canal never
 * changes. runc mounts them there; Canal refuses the config before anything exists, naming each
 * field.
 */
final class MountNamespaceNeeds {

    private MountNamespaceNeeds() {}

    /** Throws naming every such field the config sets when it has no mount namespace. */
    static void requireMet(Spec spec, boolean hasMountNamespace) {
        if (hasMountNamespace) {
            return;
        }
        List<String> fields = new ArrayList<>();
        Linux linux = spec.linux();
        add(fields, "mounts", !spec.mounts().isEmpty());
        add(
                fields,
                "root.readonly",
                spec.root() != null && Boolean.TRUE.equals(spec.root().readonly()));
        add(
                fields,
                "process.terminal",
                spec.process() != null && Boolean.TRUE.equals(spec.process().terminal()));
        if (linux != null) {
            add(fields, "linux.devices", !linux.devices().isEmpty());
            add(fields, "linux.maskedPaths", !linux.maskedPaths().isEmpty());
            add(fields, "linux.readonlyPaths", !linux.readonlyPaths().isEmpty());
            add(fields, "linux.rootfsPropagation", linux.rootfsPropagation() != null);
        }
        if (!fields.isEmpty()) {
            throw new ContainerException(String.join(", ", fields)
                    + ": set without a mount namespace in linux.namespaces; without one Canal only"
                    + " chroots into root.path and mounts nothing in the caller's mount namespace");
        }
    }

    private static void add(List<String> fields, String field, boolean set) {
        if (set) {
            fields.add(field);
        }
    }
}
