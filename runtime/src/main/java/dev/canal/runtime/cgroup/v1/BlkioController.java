package dev.canal.runtime.cgroup.v1;

import static dev.canal.runtime.cgroup.CgroupFiles.exists;
import static dev.canal.runtime.cgroup.CgroupFiles.write;

import dev.canal.runtime.cgroup.CgroupFiles;
import dev.canal.runtime.cgroup.CgroupStats;
import dev.canal.runtime.cgroup.ResourceController;
import dev.canal.runtime.cgroup.ResourceNeeds;
import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The v1 blkio controller (Documentation/admin-guide/cgroup-v1/blkio-controller.rst).
 * Proportional weights (10 to 1000) are honoured by the I/O scheduler: blkio.weight with CFQ
 * (gone since Linux 5.0), blkio.bfq.weight with BFQ. Throttles are enforced by the block layer
 * whatever the scheduler: one "major:minor rate" line per device.
 */
final class BlkioController extends ResourceController {

    BlkioController() {
        super("blkio", ResourceNeeds::blockIo);
    }

    @Override
    public void apply(Resources resources, Path directory) {
        Resources.BlockIo io = resources.blockIO();
        String prefix = exists(directory, "blkio.weight") ? "blkio." : "blkio.bfq.";
        if (io.weight() != null) {
            write(directory, prefix + "weight", Integer.toString(io.weight()));
        }
        if (io.leafWeight() != null) {
            write(directory, "blkio.leaf_weight", Integer.toString(io.leafWeight()));
        }
        for (Resources.WeightDevice device : io.weightDevice()) {
            if (device.weight() != null) {
                write(
                        directory,
                        prefix + "weight_device",
                        device.major() + ":" + device.minor() + " " + device.weight());
            }
            if (device.leafWeight() != null) {
                write(
                        directory,
                        "blkio.leaf_weight_device",
                        device.major() + ":" + device.minor() + " " + device.leafWeight());
            }
        }
        throttle(directory, "blkio.throttle.read_bps_device", io.throttleReadBpsDevice());
        throttle(directory, "blkio.throttle.write_bps_device", io.throttleWriteBpsDevice());
        throttle(directory, "blkio.throttle.read_iops_device", io.throttleReadIOPSDevice());
        throttle(directory, "blkio.throttle.write_iops_device", io.throttleWriteIOPSDevice());
    }

    private static void throttle(Path directory, String file, List<Resources.ThrottleDevice> devices) {
        for (Resources.ThrottleDevice device : devices) {
            write(directory, file, device.major() + ":" + device.minor() + " " + Long.toUnsignedString(device.rate()));
        }
    }

    /** The throttle layer's counters, which count every bio whatever the scheduler (runc's fallback too). */
    static CgroupStats.Blkio stats(Path directory) {
        return new CgroupStats.Blkio(
                entries(directory, "blkio.throttle.io_service_bytes_recursive"),
                entries(directory, "blkio.throttle.io_serviced_recursive"));
    }

    /** Lines "8:0 Read 4096"; the closing "Total" line is left out, as runc does. */
    private static List<CgroupStats.BlkioEntry> entries(Path directory, String file) {
        var entries = new ArrayList<CgroupStats.BlkioEntry>();
        if (!exists(directory, file)) {
            return entries;
        }
        for (String line : CgroupFiles.readLines(directory, file)) {
            String[] fields = line.split("\\s+");
            if (fields.length == 3) {
                String[] device = fields[0].split(":");
                entries.add(new CgroupStats.BlkioEntry(
                        Long.parseLong(device[0]), Long.parseLong(device[1]), fields[1], Long.parseLong(fields[2])));
            }
        }
        return entries;
    }
}
