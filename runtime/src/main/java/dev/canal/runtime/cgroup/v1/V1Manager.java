package dev.canal.runtime.cgroup.v1;

import dev.canal.runtime.cgroup.Cgroup;
import dev.canal.runtime.cgroup.CgroupDirectories;
import dev.canal.runtime.cgroup.CgroupException;
import dev.canal.runtime.cgroup.CgroupFiles;
import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.cgroup.CgroupPath;
import dev.canal.runtime.cgroup.CgroupStats;
import dev.canal.runtime.cgroup.CpusetController;
import dev.canal.runtime.cgroup.HugetlbLimits;
import dev.canal.runtime.cgroup.PidsController;
import dev.canal.runtime.cgroup.RdmaController;
import dev.canal.runtime.cgroup.ResourceController;
import dev.canal.runtime.cgroup.ResourcesValidator;
import dev.canal.runtime.cgroup.SignalEveryProcess;
import dev.canal.runtime.cgroup.ZerosAsUnset;
import dev.canal.runtime.oci.Resources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A container's cgroup on cgroup v1 (cgroups(7)): one directory per hierarchy, the same path in
 * each ({@code /sys/fs/cgroup/memory/canal/abc}, {@code /sys/fs/cgroup/pids/canal/abc}, ...), and
 * every process written to each hierarchy's cgroup.procs. Co-mounted controllers (cpu,cpuacct)
 * share one directory.
 */
public final class V1Manager implements Cgroup {

    private static final List<ResourceController> CONTROLLERS = List.of(
            new CpusetController(),
            new CpuController(),
            new MemoryController(),
            new PidsController(),
            new BlkioController(),
            new HugetlbLimits(HugetlbController.LIMIT_SUFFIX),
            new DeviceListController(),
            new NetClsController(),
            new NetPrioController(),
            new RdmaController());

    /** The key of the cgroup2 directory, as /proc/self/cgroup lists the v2 hierarchy: no controller name. */
    private static final String UNIFIED = "";

    /** The controllers whose limits Canal writes on cgroup v1, as the kernel names them. */
    public static Set<String> controllerNames() {
        return CONTROLLERS.stream().map(ResourceController::name).collect(Collectors.toUnmodifiableSet());
    }

    private final ResourcesValidator validator;
    private final String path;
    private final Map<String, Path> directories;

    private V1Manager(ResourcesValidator validator, String path, Map<String, Path> directories) {
        this.validator = validator;
        this.path = path;
        this.directories = directories;
    }

    /**
     * The cgroup at absolute {@code path} in every mounted v1 hierarchy, without creating it. On
     * a hybrid machine the same path in the cgroup2 mount is part of it too (under the key
     * {@link #UNIFIED}): no limits go there, but the processes join it, as with runc, so
     * "0::" in /proc/self/cgroup names the container's cgroup rather than the runtime's.
     */
    public static V1Manager at(CgroupLayout layout, String path) {
        var directories = new LinkedHashMap<String, Path>();
        layout.v1Mounts().forEach((controller, mount) -> directories.put(controller, CgroupPath.in(mount, path)));
        if (layout.kind() == CgroupLayout.Kind.HYBRID) {
            directories.put(UNIFIED, CgroupPath.in(layout.unified(), path));
        }
        return new V1Manager(new ResourcesValidator(layout), path, directories);
    }

    /**
     * Validates {@code requested} (a 0 as runc reads it, {@link ZerosAsUnset}), creates the cgroup
     * in every hierarchy, runs {@code beforeLimits} and writes the limits; on any failure removes
     * the directories it made before rethrowing.
     */
    public static V1Manager create(
            CgroupLayout layout, String path, Resources requested, Consumer<Cgroup> beforeLimits) {
        V1Manager cgroup = at(layout, path);
        Resources resources = ZerosAsUnset.clear(requested);
        cgroup.validator.validate(resources);
        var created = new ArrayList<Path>();
        try {
            for (Path directory : cgroup.distinctDirectories()) {
                List<Path> made = CgroupDirectories.create(directory);
                created.addAll(made);
                if (directory.equals(cgroup.directories.get("cpuset"))) {
                    made.forEach(CpusetInheritance::fromParent);
                }
            }
            beforeLimits.accept(cgroup);
            ResourceController.applyNeeded(CONTROLLERS, resources, cgroup::directory);
            return cgroup;
        } catch (RuntimeException e) {
            CgroupDirectories.removeAll(created);
            throw e;
        }
    }

    private Set<Path> distinctDirectories() {
        return new LinkedHashSet<>(directories.values());
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public void addProcess(int pid) {
        for (Path directory : distinctDirectories()) {
            CgroupFiles.write(directory, "cgroup.procs", Integer.toString(pid));
        }
    }

    @Override
    public void update(Resources requested) {
        Resources resources = ZerosAsUnset.clear(requested);
        validator.validate(resources);
        ResourceController.applyNeeded(CONTROLLERS, resources, this::directory);
    }

    /** The cgroup's directory in {@code controller}'s hierarchy, which must be mounted. */
    private Path directory(String controller) {
        Path directory = directories.get(controller);
        if (directory == null) {
            throw new CgroupException("the " + controller + " controller is not mounted on this machine (cgroup v1)");
        }
        return directory;
    }

    /** Counters of the mounted controllers; an unmounted one reports zeros. */
    @Override
    public CgroupStats stats() {
        return new CgroupStats(
                new CgroupStats.Cpu(
                        CpuacctController.usage(directories.get("cpuacct")),
                        CpuController.throttling(directories.get("cpu"))),
                MemoryController.stats(directories.get("memory")),
                PidsController.stats(directories.get("pids")),
                BlkioController.stats(directories.get("blkio")),
                HugetlbController.stats(directories.get("hugetlb")));
    }

    @Override
    public long oomKillCount() {
        return MemoryController.oomKillCount(directory("memory"));
    }

    @Override
    public void freeze() {
        FreezerController.freeze(directory("freezer"));
    }

    @Override
    public void thaw() {
        FreezerController.thaw(directory("freezer"));
    }

    @Override
    public boolean isFrozen() {
        return FreezerController.state(directory("freezer")).equals("FROZEN");
    }

    @Override
    public void killAll(int signal) {
        SignalEveryProcess.signal(this, signal);
    }

    @Override
    public List<Integer> pids() {
        // Every process joins every hierarchy, so any one directory lists them all.
        return CgroupFiles.processIds(directories.values().iterator().next());
    }

    @Override
    public void destroy() {
        for (Path directory : distinctDirectories()) {
            CgroupDirectories.remove(directory);
        }
    }

    @Override
    public String procSelfCgroup() {
        try {
            var lines = new StringBuilder();
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String[] fields = line.split(":", 3);
                boolean ours = fields.length == 3
                        && List.of(fields[1].split(",")).stream().anyMatch(directories::containsKey);
                lines.append(ours ? fields[0] + ":" + fields[1] + ":" + path : line)
                        .append('\n');
            }
            return lines.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("reading /proc/self/cgroup", e);
        }
    }
}
