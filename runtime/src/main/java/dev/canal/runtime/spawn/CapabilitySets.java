package dev.canal.runtime.spawn;

import dev.canal.runtime.oci.CapabilityNames;
import dev.canal.runtime.oci.ProcessConfig;

/**
 * The five capability sets of capabilities(7) as bit masks, bit {@code n} for capability
 * {@code n}: what {@code process.capabilities} asks the container's process to have after
 * execve(2).
 *
 * <p>How execve(2) turns them into the program's sets, for a program without file capabilities:
 * a root process gets permitted = effective = inheritable | bounding; a non-root one gets
 * permitted = effective = ambient. So a spec whose sets follow those rules (as runc's and
 * Docker's defaults do) reads back exactly in /proc/PID/status.
 */
public record CapabilitySets(long bounding, long effective, long permitted, long inheritable, long ambient) {

    /** The spec's sets, without the capabilities the running kernel does not have. */
    public static CapabilitySets of(ProcessConfig.Capabilities capabilities) {
        return new CapabilitySets(
                CapabilityNames.mask(capabilities.bounding()),
                CapabilityNames.mask(capabilities.effective()),
                CapabilityNames.mask(capabilities.permitted()),
                CapabilityNames.mask(capabilities.inheritable()),
                CapabilityNames.mask(capabilities.ambient()));
    }

    /** The capabilities the running kernel has that the bounding set leaves out. */
    public long notInBounding() {
        long all = CapabilityNames.lastCapability() == 63 ? -1L : (1L << (CapabilityNames.lastCapability() + 1)) - 1;
        return all & ~bounding;
    }
}
