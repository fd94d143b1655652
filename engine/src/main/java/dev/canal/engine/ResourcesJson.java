package dev.canal.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link Resources} in the Engine API's words: the resource fields of a HostConfig, read from
 * {@code POST /containers/create} and {@code POST /containers/{id}/update} and written into
 * {@code docker inspect}'s HostConfig (the API's Resources object,
 * https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Container/operation/ContainerCreate).
 */
public final class ResourcesJson {

    private ResourcesJson() {}

    /** The resources of a HostConfig; absent fields are zero (unset), PidsLimit stays null. */
    public static Resources read(JsonNode host) {
        var cpu = new Resources.Cpu(
                host.path("CpuShares").asLong(),
                host.path("NanoCpus").asLong(),
                host.path("CpuPeriod").asLong(),
                host.path("CpuQuota").asLong(),
                host.path("CpusetCpus").asString(""),
                host.path("CpusetMems").asString(""));
        var memory = new Resources.Memory(
                host.path("Memory").asLong(),
                host.path("MemorySwap").asLong(),
                host.path("MemoryReservation").asLong(),
                host.path("OomKillDisable").asBoolean());
        var blockIo = new Resources.BlockIo(
                host.path("BlkioWeight").asInt(),
                list(
                        host.path("BlkioWeightDevice"),
                        device -> new Resources.WeightDevice(
                                device.path("Path").asString(""),
                                device.path("Weight").asInt())),
                throttles(host.path("BlkioDeviceReadBps")),
                throttles(host.path("BlkioDeviceWriteBps")),
                throttles(host.path("BlkioDeviceReadIOps")),
                throttles(host.path("BlkioDeviceWriteIOps")));
        List<Resources.Ulimit> ulimits = list(
                host.path("Ulimits"),
                ulimit -> new Resources.Ulimit(
                        ulimit.path("Name").asString(""),
                        ulimit.path("Soft").asLong(),
                        ulimit.path("Hard").asLong()));
        Long pidsLimit = host.hasNonNull("PidsLimit") ? host.get("PidsLimit").asLong() : null;
        return new Resources(
                cpu, memory, pidsLimit, blockIo, ulimits, host.path("ShmSize").asLong());
    }

    /** Puts the resource fields into an inspect HostConfig, as dockerd shows them. */
    public static void write(ObjectNode host, Resources resources) {
        Resources.Cpu cpu = resources.cpu();
        Resources.Memory memory = resources.memory();
        Resources.BlockIo blockIo = resources.blockIo();
        host.put("CpuShares", cpu.shares())
                .put("Memory", memory.limit())
                .put("NanoCpus", cpu.nanoCpus())
                .put("BlkioWeight", blockIo.weight());
        ArrayNode weights = host.putArray("BlkioWeightDevice");
        blockIo.weightDevices()
                .forEach(
                        device -> weights.addObject().put("Path", device.path()).put("Weight", device.weight()));
        throttles(host.putArray("BlkioDeviceReadBps"), blockIo.readBps());
        throttles(host.putArray("BlkioDeviceWriteBps"), blockIo.writeBps());
        throttles(host.putArray("BlkioDeviceReadIOps"), blockIo.readIops());
        throttles(host.putArray("BlkioDeviceWriteIOps"), blockIo.writeIops());
        host.put("CpuPeriod", cpu.period())
                .put("CpuQuota", cpu.quota())
                .put("CpusetCpus", cpu.cpus())
                .put("CpusetMems", cpu.mems())
                .put("MemoryReservation", memory.reservation())
                .put("MemorySwap", memory.swap())
                .put("OomKillDisable", memory.oomKillDisable())
                .put("PidsLimit", resources.pidsLimit())
                .put("ShmSize", resources.shmSize());
        ArrayNode ulimits = host.putArray("Ulimits");
        resources
                .ulimits()
                .forEach(ulimit -> ulimits.addObject()
                        .put("Name", ulimit.name())
                        .put("Soft", ulimit.soft())
                        .put("Hard", ulimit.hard()));
    }

    private static List<Resources.ThrottleDevice> throttles(JsonNode array) {
        return list(
                array,
                device -> new Resources.ThrottleDevice(
                        device.path("Path").asString(""), device.path("Rate").asLong()));
    }

    private static void throttles(ArrayNode array, List<Resources.ThrottleDevice> devices) {
        devices.forEach(device -> array.addObject().put("Path", device.path()).put("Rate", device.rate()));
    }

    /** A JSON array's elements, each converted; null or absent (Go's nil slice) is empty. */
    private static <T> List<T> list(JsonNode array, Function<JsonNode, T> element) {
        List<T> values = new ArrayList<>();
        array.forEach(node -> values.add(element.apply(node)));
        return values;
    }
}
