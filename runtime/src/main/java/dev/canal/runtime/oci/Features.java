package dev.canal.runtime.oci;

import java.util.List;
import java.util.Map;

/**
 * The runtime-spec's features document (features.md, features-linux.md, as of the spec version
 * in {@code ociVersionMax}): what a runtime recognises in config.json, so a caller such as
 * containerd or podman can ask before it writes one ({@code runc features}). It describes the
 * runtime, not the host: a capability the running kernel lacks is still listed if the runtime
 * knows its name. Lists are the names config.json uses.
 *
 * @param ociVersionMin the oldest config.json {@code ociVersion} accepted
 * @param ociVersionMax the newest
 * @param hooks         the hook names of config.md#posix-platform-hooks
 * @param mountOptions  the mount option words treated as flags or propagation (others are data
 *                      for the filesystem)
 * @param annotations   about the runtime itself (its version), not config.json's
 */
public record Features(
        String ociVersionMin,
        String ociVersionMax,
        List<String> hooks,
        List<String> mountOptions,
        LinuxFeatures linux,
        Map<String, String> annotations) {

    /** The document as runc prints its own: indented like Go's json.MarshalIndent, in the spec's order. */
    public String toJson() {
        return SpecJson.MAPPER.writeValueAsString(this);
    }

    /**
     * @param namespaces   namespace types ({@code linux.namespaces[].type})
     * @param capabilities capability names ({@code process.capabilities})
     */
    public record LinuxFeatures(
            List<String> namespaces,
            List<String> capabilities,
            CgroupFeatures cgroup,
            SeccompFeatures seccomp,
            Support apparmor,
            Support selinux,
            Support intelRdt,
            MountExtensions mountExtensions) {}

    /**
     * @param systemd     the systemd cgroup driver (runc's --systemd-cgroup)
     * @param systemdUser the same for a user's systemd instance
     * @param rdma        the rdma controller's limits ({@code linux.resources.rdma})
     */
    public record CgroupFeatures(boolean v1, boolean v2, boolean systemd, boolean systemdUser, boolean rdma) {}

    /**
     * @param knownFlags     {@code linux.seccomp.flags} the runtime recognises
     * @param supportedFlags those of them it can also apply on this kernel
     */
    public record SeccompFeatures(
            boolean enabled,
            List<String> actions,
            List<String> operators,
            List<String> archs,
            List<String> knownFlags,
            List<String> supportedFlags) {}

    /** Whether the runtime implements a feature (not whether the host has it). */
    public record Support(boolean enabled) {}

    /** @param idmap idmapped mounts: {@code uidMappings} and {@code gidMappings} of a mount */
    public record MountExtensions(Support idmap) {}
}
