package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docker's refusals of resource settings, each one line naming the option. */
class ResourceRulesTest {

    private static Resources cpu(long shares, long nanoCpus, long period, long quota, String cpus) {
        return new Resources(new Resources.Cpu(shares, nanoCpus, period, quota, cpus, ""), null, null, null, null, 0);
    }

    private static Resources memory(long limit, long swap, long reservation) {
        return new Resources(null, new Resources.Memory(limit, swap, reservation, false), null, null, null, 0);
    }

    private static Resources blockIo(Resources.BlockIo blockIo) {
        return new Resources(null, null, null, blockIo, null, 0);
    }

    private static String refusal(Resources resources) {
        return assertThrows(IllegalArgumentException.class, () -> ResourceRules.validate(resources))
                .getMessage();
    }

    @Test
    void cpusExcludesPeriodAndQuotaAndStaysWithinTheMachine() {
        assertEquals(
                "--cpus and --cpu-period: Conflicting options: Nano CPUs and CPU Period cannot both be set",
                refusal(cpu(0, 500_000_000, 50_000, 0, "")));
        assertEquals(
                "--cpus and --cpu-quota: Conflicting options: Nano CPUs and CPU Quota cannot both be set",
                refusal(cpu(0, 500_000_000, 0, 50_000, "")));
        int processors = Runtime.getRuntime().availableProcessors();
        assertEquals(
                "--cpus " + (processors + 1) + ".0: range of CPUs is from 0.01 to " + processors
                        + ".00, as there are only " + processors + " CPUs available",
                refusal(cpu(0, (processors + 1) * 1_000_000_000L, 0, 0, "")));
        assertDoesNotThrow(() -> ResourceRules.validate(cpu(1024, 0, 50_000, 25_000, "0")));
    }

    @Test
    void sharesPeriodQuotaAndCpusetsHaveTheKernelsRanges() {
        assertEquals(
                "--cpu-shares 1: must be from 2 to 262144 (the kernel's MIN_SHARES and MAX_SHARES)",
                refusal(cpu(1, 0, 0, 0, "")));
        assertEquals(
                "--cpu-period 999: CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)",
                refusal(cpu(0, 0, 999, 0, "")));
        assertEquals(
                "--cpu-quota 999: CPU cfs quota can not be less than 1ms (i.e. 1000)", refusal(cpu(0, 0, 0, 999, "")));
        assertEquals(
                "--cpuset-cpus \"1-x\" is not a list of numbers and ranges such as \"0-3,6\"",
                refusal(cpu(0, 0, 0, 0, "1-x")));
        assertEquals(
                "--cpuset-cpus 0,4096: Requested CPUs are not available - requested 0,4096, available: " + online(),
                refusal(cpu(0, 0, 0, 0, "0,4096")));
        assertDoesNotThrow(() -> ResourceRules.validate(cpu(0, 0, 0, 0, "0")));
    }

    private static String online() {
        try {
            return Files.readString(Path.of("/sys/devices/system/cpu/online")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void memorySwapAndReservationFollowDockersOrder() {
        assertEquals("-m 1024: the minimum memory limit is 6MB", refusal(memory(1024, 0, 0)));
        assertEquals(
                "--memory-swap 33554432: Minimum memoryswap limit should be larger than memory limit, see usage",
                refusal(memory(64L << 20, 32L << 20, 0)));
        assertEquals(
                "--memory-swap 33554432: You should always set the Memory limit when using Memoryswap limit, see usage",
                refusal(memory(0, 32L << 20, 0)));
        assertEquals(
                "--memory-reservation 134217728: Minimum memory limit can not be less than memory reservation limit, see usage",
                refusal(memory(64L << 20, 0, 128L << 20)));
        assertDoesNotThrow(() -> ResourceRules.validate(memory(64L << 20, -1, 32L << 20)));
    }

    @Test
    void blkioWeightsAreTenToAThousandAndDevicesMustBeBlockDevices() {
        assertEquals(
                "--blkio-weight 5: Range of blkio weight is from 10 to 1000",
                refusal(blockIo(new Resources.BlockIo(5, null, null, null, null, null))));
        assertEquals(
                "--blkio-weight-device /dev/null:2000: invalid weight for device, the range is from 10 to 1000",
                refusal(blockIo(new Resources.BlockIo(
                        0, List.of(new Resources.WeightDevice("/dev/null", 2000)), null, null, null, null))));
        assertEquals(
                "--device-read-bps /dev/null: not a block device but a character special file 1:3",
                refusal(blockIo(new Resources.BlockIo(
                        0, null, List.of(new Resources.ThrottleDevice("/dev/null", 1 << 20)), null, null, null))));
        assertEquals(
                "--device-write-iops /dev/no-such-disk: no such device",
                refusal(blockIo(new Resources.BlockIo(
                        0, null, null, null, null, List.of(new Resources.ThrottleDevice("/dev/no-such-disk", 10))))));
    }

    @Test
    void pidsUlimitsAndShmSize() {
        assertEquals("--pids-limit -5: must be at least 1", refusal(new Resources(null, null, -5L, null, null, 0)));
        assertDoesNotThrow(() -> ResourceRules.validate(new Resources(null, null, -1L, null, null, 0)));
        assertEquals(
                "--ulimit nofiles: unknown resource",
                refusal(new Resources(null, null, null, null, List.of(new Resources.Ulimit("nofiles", 1, 1)), 0)));
        assertEquals(
                "--shm-size -1: SHM size can not be less than 0",
                refusal(new Resources(null, null, null, null, null, -1)));
    }
}
