package dev.canal.runtime.cgroup.v2;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.cgroup.Cgroup;
import dev.canal.runtime.cgroup.CgroupDirectories;
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
import dev.canal.runtime.cgroup.v2.devices.DeviceFilterController;
import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A container's cgroup on cgroup v2 (cgroup-v2.rst): one directory in the single hierarchy.
 * A controller's files appear in a cgroup only when its parent lists the controller in
 * cgroup.subtree_control, so creating a cgroup first enables, from the root down, every
 * controller each ancestor offers (as runc does).
 */
public final class V2Manager implements Cgroup {

    private static final List<ResourceController> CONTROLLERS = List.of(
            new CpusetController(),
            new CpuController(),
            new MemoryController(),
            new PidsController(),
            new IoController(),
            new HugetlbLimits(HugetlbController.LIMIT_SUFFIX),
            new RdmaController(),
            new DeviceFilterController(),
            new UnifiedController());
    /** The controllers above that are kernel controllers (devices and unified are not). */
    private static final Set<String> KERNEL_CONTROLLERS =
            Set.of("cpuset", "cpu", "memory", "pids", "io", "hugetlb", "rdma");

    /** The controllers whose limits Canal writes on cgroup v2, as the kernel names them. */
    public static Set<String> controllerNames() {
        return CONTROLLERS.stream().map(ResourceController::name).collect(Collectors.toUnmodifiableSet());
    }

    private final ResourcesValidator validator;
    private final Path root;
    private final String path;
    private final Path directory;

    private V2Manager(Path root, String path) {
        this.validator = new ResourcesValidator(new CgroupLayout(CgroupLayout.Kind.V2, Map.of(), Optional.of(root)));
        this.root = root;
        this.path = path;
        this.directory = CgroupPath.in(root, path);
    }

    /** The cgroup at absolute {@code path} of the v2 hierarchy mounted at {@code root}, without creating it. */
    public static V2Manager at(Path root, String path) {
        return new V2Manager(root, path);
    }

    /**
     * Validates {@code requested} (a 0 as runc reads it, {@link ZerosAsUnset}), creates the cgroup,
     * runs {@code beforeLimits} and writes the limits; on any failure removes the directories it
     * made.
     */
    public static V2Manager create(Path root, String path, Resources requested, Consumer<Cgroup> beforeLimits) {
        V2Manager cgroup = at(root, path);
        Resources resources = ZerosAsUnset.clear(requested);
        cgroup.validator.validate(resources);
        List<Path> created = CgroupDirectories.create(cgroup.directory);
        try {
            beforeLimits.accept(cgroup);
            cgroup.apply(resources);
            return cgroup;
        } catch (RuntimeException e) {
            CgroupDirectories.removeAll(created);
            throw e;
        }
    }

    /**
     * Writes "+memory" etc. into cgroup.subtree_control of the root and every ancestor, for each
     * controller {@code resources} needs that is not enabled there yet. runc enables every
     * controller on offer; enabling only what is used leaves other cgroups' settings alone.
     */
    private void enableControllers(Resources resources) {
        Set<String> needed = new LinkedHashSet<>();
        for (ResourceController controller : CONTROLLERS) {
            if (controller.isNeeded(resources) && KERNEL_CONTROLLERS.contains(controller.name())) {
                needed.add(controller.name());
            }
        }
        resources.unified().keySet().forEach(file -> needed.add(file.substring(0, file.indexOf('.'))));
        needed.remove("cgroup");
        for (Path ancestor = root;
                !ancestor.equals(directory);
                ancestor = ancestor.resolve(directory.getName(ancestor.getNameCount()))) {
            List<String> enabled =
                    List.of(CgroupFiles.read(ancestor, "cgroup.subtree_control").split(" "));
            for (String controller : needed) {
                if (!enabled.contains(controller)) {
                    CgroupFiles.write(ancestor, "cgroup.subtree_control", "+" + controller);
                }
            }
        }
    }

    public Path directory() {
        return directory;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public void addProcess(int pid) {
        CgroupFiles.write(directory, "cgroup.procs", Integer.toString(pid));
    }

    @Override
    public void update(Resources requested) {
        Resources resources = ZerosAsUnset.clear(requested);
        validator.validate(resources);
        apply(resources);
    }

    private void apply(Resources resources) {
        enableControllers(resources);
        ResourceController.applyNeeded(CONTROLLERS, resources, controller -> directory);
    }

    @Override
    public CgroupStats stats() {
        return new CgroupStats(
                CpuController.stats(directory),
                MemoryController.stats(directory),
                PidsController.stats(directory),
                IoController.stats(directory),
                HugetlbController.stats(directory));
    }

    @Override
    public long oomKillCount() {
        return MemoryController.oomKillCount(directory);
    }

    @Override
    public void freeze() {
        FreezerController.freeze(directory);
    }

    @Override
    public void thaw() {
        FreezerController.thaw(directory);
    }

    @Override
    public boolean isFrozen() {
        return FreezerController.isFrozen(directory);
    }

    /**
     * cgroup.kill (Linux 5.14) SIGKILLs every process in the cgroup in one write, racing no fork;
     * other signals, and older kernels, go process by process.
     */
    @Override
    public void killAll(int signal) {
        if (signal == linux_h.SIGKILL() && CgroupFiles.exists(directory, "cgroup.kill")) {
            CgroupFiles.write(directory, "cgroup.kill", "1");
        }
        SignalEveryProcess.signal(this, signal);
    }

    @Override
    public List<Integer> pids() {
        return CgroupFiles.processIds(directory);
    }

    @Override
    public void destroy() {
        CgroupDirectories.remove(directory);
    }

    @Override
    public String procSelfCgroup() {
        return "0::" + path + "\n";
    }
}
