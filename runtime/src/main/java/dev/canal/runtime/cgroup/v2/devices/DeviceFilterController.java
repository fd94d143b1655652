package dev.canal.runtime.cgroup.v2.devices;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.cgroup.ResourceController;
import dev.canal.runtime.cgroup.ResourceNeeds;
import dev.canal.runtime.oci.Resources;
import dev.canal.runtime.sys.OwnedFd;
import java.nio.file.Path;

/**
 * Device access on cgroup v2: there is no devices controller and no interface file; the rules
 * become an eBPF program ({@link DeviceFilterProgram}) attached to the cgroup directory.
 */
public final class DeviceFilterController extends ResourceController {

    public DeviceFilterController() {
        super("devices", ResourceNeeds::devices);
    }

    @Override
    public void apply(Resources resources, Path directory) {
        DeviceFilterProgram program = DeviceFilterProgram.of(resources.devices());
        try (OwnedFd cgroup = OwnedFd.open(directory.toString(), linux_h.O_RDONLY() | linux_h.O_DIRECTORY(), 0);
                OwnedFd loaded = Bpf.loadDeviceProgram(program)) {
            // Once attached the cgroup holds the program; closing our descriptor does not detach it.
            Bpf.attachDeviceProgram(cgroup, loaded);
        }
    }
}
