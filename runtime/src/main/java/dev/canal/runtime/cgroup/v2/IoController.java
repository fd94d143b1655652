package dev.canal.runtime.cgroup.v2;

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
 * The v2 io controller (cgroup-v2.rst "IO"). Weights: io.bfq.weight takes the v1 range (1 to
 * 1000) as it is; without BFQ, io.weight (1 to 10000, 100 normal) gets the converted value
 * (runc's ConvertBlkIOToIOWeightValue). Limits: one io.max line per device,
 * "8:16 rbps=1048576 wiops=120", each key set on its own so the others keep their value.
 */
final class IoController extends ResourceController {

    IoController() {
        super("io", ResourceNeeds::blockIo);
    }

    @Override
    public void apply(Resources resources, Path directory) {
        Resources.BlockIo io = resources.blockIO();
        boolean bfq = exists(directory, "io.bfq.weight");
        if (io.weight() != null) {
            write(
                    directory,
                    bfq ? "io.bfq.weight" : "io.weight",
                    bfq ? io.weight().toString() : "default " + ioWeight(io.weight()));
        }
        for (Resources.WeightDevice device : io.weightDevice()) {
            if (device.weight() != null) {
                write(
                        directory,
                        bfq ? "io.bfq.weight" : "io.weight",
                        device.major() + ":" + device.minor() + " "
                                + (bfq ? device.weight() : ioWeight(device.weight())));
            }
        }
        limit(directory, "rbps", io.throttleReadBpsDevice());
        limit(directory, "wbps", io.throttleWriteBpsDevice());
        limit(directory, "riops", io.throttleReadIOPSDevice());
        limit(directory, "wiops", io.throttleWriteIOPSDevice());
    }

    /** blkio weight 10..1000 onto io.weight 1..10000. */
    static long ioWeight(int blkioWeight) {
        return 1 + (blkioWeight - 10L) * 9999 / 990;
    }

    private static void limit(Path directory, String key, List<Resources.ThrottleDevice> devices) {
        for (Resources.ThrottleDevice device : devices) {
            String rate = device.rate() == 0 ? "max" : Long.toUnsignedString(device.rate());
            write(directory, "io.max", device.major() + ":" + device.minor() + " " + key + "=" + rate);
        }
    }

    /** io.stat lines "8:0 rbytes=90430464 wbytes=0 rios=3006 wios=0 dbytes=0 dios=0", as runc reports them. */
    static CgroupStats.Blkio stats(Path directory) {
        var bytes = new ArrayList<CgroupStats.BlkioEntry>();
        var operations = new ArrayList<CgroupStats.BlkioEntry>();
        if (!exists(directory, "io.stat")) {
            return new CgroupStats.Blkio(bytes, operations);
        }
        for (String line : CgroupFiles.readLines(directory, "io.stat")) {
            String[] fields = line.split("\\s+");
            String[] device = fields[0].split(":");
            long major = Long.parseLong(device[0]);
            long minor = Long.parseLong(device[1]);
            for (int i = 1; i < fields.length; i++) {
                String[] pair = fields[i].split("=");
                String op = switch (pair[0]) {
                    case "rbytes", "rios" -> "Read";
                    case "wbytes", "wios" -> "Write";
                    case "dbytes", "dios" -> "Discard";
                    default -> null;
                };
                if (op != null) {
                    var entry = new CgroupStats.BlkioEntry(major, minor, op, Long.parseLong(pair[1]));
                    (pair[0].endsWith("bytes") ? bytes : operations).add(entry);
                }
            }
        }
        return new CgroupStats.Blkio(bytes, operations);
    }
}
