package dev.canal.runtime.container;

import java.util.Map;

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

    /** The same container at another moment: with {@code status} and {@code pid}. */
    ContainerState at(ContainerStatus status, int pid) {
        return new ContainerState(ociVersion, id, status, pid, bundle, rootfs, created, owner, annotations);
    }
}
