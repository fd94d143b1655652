package dev.canal.runtime.spawn;

import dev.canal.runtime.ns.IdMappings;
import dev.canal.runtime.ns.NamespaceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which namespaces the first process gets: new ones ({@code CLONE_NEW*} flags) and existing
 * ones joined through a {@code /proc/PID/ns/TYPE} path, plus what must be written before any
 * process lives in them.
 *
 * @param create      the types to create
 * @param join        existing namespaces to join, by type, as paths
 * @param timeOffsets for a new time namespace: clock name ("monotonic", "boottime") to
 *                    {seconds, nanoseconds}
 * @param uidMappings for a new user namespace: its uid map
 * @param gidMappings for a new user namespace: its gid map
 */
public record NamespacePlan(
        List<NamespaceType> create,
        Map<NamespaceType, String> join,
        Map<String, long[]> timeOffsets,
        List<IdMappings.Range> uidMappings,
        List<IdMappings.Range> gidMappings) {

    /** The {@code CLONE_NEW*} flags of the namespaces to create. */
    public int createFlags() {
        return create.stream().mapToInt(NamespaceType::cloneFlag).reduce(0, (a, b) -> a | b);
    }

    /** Whether the process gets a user namespace, new or joined. */
    public boolean hasUserNamespace() {
        return create.contains(NamespaceType.USER) || join.containsKey(NamespaceType.USER);
    }

    /** Whether the process has a namespace of {@code type} of its own: created or joined. */
    public boolean has(NamespaceType type) {
        return create.contains(type) || join.containsKey(type);
    }

    /** This plan with the namespace of {@code type} joined at {@code path} instead of created. */
    public NamespacePlan joining(NamespaceType type, String path) {
        var joined = new LinkedHashMap<>(join);
        joined.put(type, path);
        return new NamespacePlan(
                create.stream().filter(created -> created != type).toList(),
                joined,
                timeOffsets,
                uidMappings,
                gidMappings);
    }

    /** Whether a namespace of {@code type} is created. */
    public boolean creates(NamespaceType type) {
        return create.contains(type);
    }
}
