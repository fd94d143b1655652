package dev.canal.runtime.cgroup;

import static dev.canal.runtime.cgroup.TestCgroups.destroyQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.RequiresRoot;
import org.junit.jupiter.api.Test;

/**
 * A read bps throttle on a loop device: unthrottled, 4 MiB of direct reads from a loop device
 * over a page-cached file take milliseconds; at 1 MiB/s the read is still under way after a
 * second, and the cgroup's I/O counters have seen only part of it.
 */
@RequiresRoot
class BlkioThrottleTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void aReadBpsThrottleSlowsDirectReads() throws Exception {
        CgroupLayout layout = CgroupLayout.detect();
        Cgroup cgroup = null;
        try (var loop = new LoopDevice(8 * MIB);
                var shell = new HeldShell("/usr/bin/dd if=" + loop.device()
                        + " of=/dev/null bs=64k count=64 iflag=direct; echo dd-done")) {
            cgroup = Cgroups.create(
                    layout, TestCgroups.uniquePath(), "unused", TestCgroups.readBps(loop.major(), loop.minor(), MIB));
            cgroup.addProcess(shell.pid());
            shell.release();
            Thread.sleep(1000);
            long read = bytesRead(cgroup.stats(), loop);
            assertTrue(read > 0, "nothing was read yet: " + cgroup.stats().blkio());
            assertTrue(read < 3 * MIB, "1 MiB/s let " + read + " bytes through in a second");
            assertTrue(!shell.output().contains("dd-done"), "dd finished despite the throttle: " + shell.output());
            cgroup.killAll(9);
            assertEquals(0, cgroup.pids().size());
        } finally {
            destroyQuietly(cgroup);
        }
    }

    private static long bytesRead(CgroupStats stats, LoopDevice loop) {
        return stats.blkio().ioServiceBytesRecursive().stream()
                .filter(entry -> entry.major() == loop.major()
                        && entry.minor() == loop.minor()
                        && entry.op().equals("Read"))
                .mapToLong(CgroupStats.BlkioEntry::value)
                .sum();
    }
}
