package dev.canal.runtime.container;

import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * The state of a container as the runtime-spec defines it ({@code runtime.md#state}), with
 * runc's additions that tools read ({@code rootfs}, {@code created}, {@code owner}): what
 * {@code canal-oci state} prints and what hooks receive on standard input.
 *
 * @param status what the container is doing; JSON has its spec name ({@link ContainerStatus#specName})
 * @param pid the first process's pid on the host; 0 once it has stopped, as runc reports it
 */
public record ContainerState(
        String ociVersion,
        String id,
        ContainerStatus status,
        int pid,
        String bundle,
        String rootfs,
        String created,
        String owner,
        Map<String, String> annotations) {

    /** The runtime-spec version Canal implements. */
    public static final String OCI_VERSION = "1.2.1";

    /**
     * Writes this state as one JSON object, its members in the record's order and nulls written
     * out: what databind writes for the record, with Jackson's streaming generator, whose
     * classes a {@code create} loads anyway (databind's are hundreds more: docs/start-time.md,
     * step 13). {@code canal-oci state} prints it indented, a hook reads it unindented
     * ({@link HookCommand}); the cli's StateJsonTest and ContainerStateJsonTest compare both with
     * databind's.
     */
    public void write(JsonGenerator json) {
        json.writeStartObject();
        json.writeStringProperty("ociVersion", ociVersion);
        json.writeStringProperty("id", id);
        json.writeStringProperty("status", status.specName());
        json.writeNumberProperty("pid", pid);
        json.writeStringProperty("bundle", bundle);
        json.writeStringProperty("rootfs", rootfs);
        json.writeStringProperty("created", created);
        json.writeStringProperty("owner", owner);
        AnnotationsJson.write(json, annotations);
        json.writeEndObject();
    }

    /** The same container at another moment: with {@code status} and {@code pid}. */
    ContainerState at(ContainerStatus status, int pid) {
        return new ContainerState(ociVersion, id, status, pid, bundle, rootfs, created, owner, annotations);
    }
}
