package dev.canal.engine;

import dev.canal.runtime.sys.FileStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A host block device named by path in {@code --device-read-bps} and the like, as the cgroup
 * files want it: major:minor. Like moby's getBlkioThrottleDevices, the path is stat'ed on the
 * host (following symlinks, so /dev/disk/by-id names work) at each start, because the numbers
 * of a loop or hot-plugged device can change between boots.
 */
public record BlockDevice(long major, long minor) {

    /** The device at {@code path}; {@code option} names the flag in the one-line error. */
    public static BlockDevice of(String path, String option) {
        FileStatus status;
        try {
            // stat(2) through the JDK's "unix" attribute view: st_mode and st_rdev.
            Map<String, Object> attributes = Files.readAttributes(Path.of(path), "unix:mode,rdev");
            status = new FileStatus((Integer) attributes.get("mode"), (Long) attributes.get("rdev"));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(option + " " + path + ": no such device");
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + path + ": " + e);
        }
        if (!status.isBlockDevice()) {
            throw new IllegalArgumentException(option + " " + path + ": not a block device but a " + status.typeName());
        }
        return new BlockDevice(status.major(), status.minor());
    }
}
