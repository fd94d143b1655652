package dev.canal.runtime.cgroup.v1;

import dev.canal.runtime.cgroup.CgroupFiles;
import dev.canal.runtime.cgroup.ResourceController;
import dev.canal.runtime.cgroup.ResourceNeeds;
import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;

/**
 * The v1 devices controller (Documentation/admin-guide/cgroup-v1/devices.rst). Each rule is
 * one line written to devices.allow or devices.deny: type ("a" all, "c", "b"), major:minor
 * ("*" for any) and access ("r", "w", "m" for mknod). Writing "a" to devices.deny empties the
 * allow list; the rules are applied in the order the spec lists them, so a spec usually starts
 * with "deny all" and then allows the devices a container needs. The kernel checks open(2) and
 * mknod(2) of device files against the list and fails them with EPERM.
 */
final class DeviceListController extends ResourceController {

    DeviceListController() {
        super("devices", ResourceNeeds::devices);
    }

    @Override
    public void apply(Resources resources, Path directory) {
        for (Resources.DeviceRule rule : resources.devices()) {
            CgroupFiles.write(directory, rule.allow() ? "devices.allow" : "devices.deny", line(rule));
        }
    }

    /** The rule as the kernel reads it: "c 1:3 rwm", "a *:* rwm". */
    static String line(Resources.DeviceRule rule) {
        String type = rule.type() == null ? "a" : rule.type();
        String access = rule.access() == null || rule.access().isEmpty() ? "rwm" : rule.access();
        return type + " " + number(rule.major()) + ":" + number(rule.minor()) + " " + access;
    }

    private static String number(Long value) {
        return value == null || value == -1 ? "*" : Long.toString(value);
    }
}
