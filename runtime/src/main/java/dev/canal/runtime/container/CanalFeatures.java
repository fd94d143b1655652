package dev.canal.runtime.container;

import dev.canal.runtime.cgroup.Cgroups;
import dev.canal.runtime.ns.NamespaceType;
import dev.canal.runtime.oci.CapabilityNames;
import dev.canal.runtime.oci.Features;
import dev.canal.runtime.oci.Hooks;
import dev.canal.runtime.rootfs.MountOptions;
import dev.canal.runtime.seccomp.SeccompSupport;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Canal's features document ({@code canal-oci features}). Every list is read from the code
 * that implements it (the namespace enum, the capability table, the mount option table, the
 * seccomp compiler's tables, the hooks record, the cgroup managers' controllers), so it cannot
 * claim what the code does not do. What Canal does not implement is reported as such.
 */
public final class CanalFeatures {

    /** config.json versions Canal reads: every 1.x (SpecValidator), up to the one it follows. */
    private static final String OCI_VERSION_MIN = "1.0.0";

    private CanalFeatures() {}

    /** The document, with {@code annotations} about the program that reports it (its version). */
    public static Features of(Map<String, String> annotations) {
        var seccomp = new Features.SeccompFeatures(
                true,
                SeccompSupport.actions(),
                SeccompSupport.operators(),
                SeccompSupport.architectures(),
                SeccompSupport.knownFlags(),
                SeccompSupport.supportedFlags());
        // Cgroups are Canal's own (cgroupfs); runc's --systemd-cgroup is refused.
        var cgroup = new Features.CgroupFeatures(true, true, false, false, Cgroups.limitsController("rdma"));
        var notImplemented = new Features.Support(false);
        var linux = new Features.LinuxFeatures(
                Arrays.stream(NamespaceType.values())
                        .map(NamespaceType::specName)
                        .sorted()
                        .toList(),
                CapabilityNames.namesInKernelOrder(),
                cgroup,
                seccomp,
                notImplemented, // SecurityModules refuses process.apparmorProfile
                notImplemented, // and process.selinuxLabel
                notImplemented, // linux.intelRdt is not applied
                new Features.MountExtensions(notImplemented)); // nor are a mount's uidMappings/gidMappings
        return new Features(
                OCI_VERSION_MIN,
                ContainerState.OCI_VERSION,
                hookNames(),
                MountOptions.recognized(),
                linux,
                annotations);
    }

    /** The hook lists of config.json's {@code hooks} object, in the spec's order. */
    private static List<String> hookNames() {
        return Arrays.stream(Hooks.class.getRecordComponents())
                .filter(component -> component.getType() == List.class)
                .map(RecordComponent::getName)
                .toList();
    }
}
