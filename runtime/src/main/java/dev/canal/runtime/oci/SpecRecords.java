package dev.canal.runtime.oci;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config's records read member by member from the streaming parser: one method per record,
 * each starting on the object's {@code {} ({@link JsonInput#object} checks that it is one).
 *
 * <p>Written out rather than bound by databind, which introspected the records' annotations and
 * made them through reflection on every start of {@code canal-oci create}: about 300 ms of a
 * 550 ms {@code run}, interpreted (docs/start-time.md, step 12). Each member reads with the JSON
 * type its component has: {@code uint64} components (the {@link Uint64} ones) with
 * {@link JsonInput#uint64}, primitives with a {@code required} read, since null is no primitive;
 * an absent primitive stays 0. A member no record names goes to {@code unknownFields}
 * ({@link KeepUnknown}); a repeated one counts as its last, as in databind and Go.
 */
final class SpecRecords {

    private SpecRecords() {}

    static Spec spec(JsonInput in) {
        String ociVersion = null;
        ProcessConfig process = null;
        Root root = null;
        String hostname = null;
        String domainname = null;
        List<Mount> mounts = null;
        Hooks hooks = null;
        Map<String, String> annotations = null;
        Linux linux = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "ociVersion" -> ociVersion = in.string();
                case "process" -> process = in.object(SpecRecords::process);
                case "root" -> root = in.object(SpecRecords::root);
                case "hostname" -> hostname = in.string();
                case "domainname" -> domainname = in.string();
                case "mounts" -> mounts = in.list(element -> element.requiredObject(SpecRecords::mount));
                case "hooks" -> hooks = in.object(SpecRecords::hooks);
                case "annotations" -> annotations = in.map(JsonInput::requiredString);
                case "linux" -> linux = in.object(SpecRecords::linux);
                default -> unknown.put(name, in.any());
            }
        }
        return new Spec(ociVersion, process, root, hostname, domainname, mounts, hooks, annotations, linux, unknown);
    }

    static ProcessConfig process(JsonInput in) {
        Boolean terminal = null;
        ProcessConfig.ConsoleSize consoleSize = null;
        ProcessConfig.User user = null;
        List<String> args = null;
        List<String> env = null;
        String cwd = null;
        ProcessConfig.Capabilities capabilities = null;
        List<ProcessConfig.Rlimit> rlimits = null;
        Boolean noNewPrivileges = null;
        String apparmorProfile = null;
        Integer oomScoreAdj = null;
        ProcessConfig.Scheduler scheduler = null;
        String selinuxLabel = null;
        ProcessConfig.IoPriority ioPriority = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "terminal" -> terminal = in.bool();
                case "consoleSize" -> consoleSize = in.object(SpecRecords::consoleSize);
                case "user" -> user = in.object(SpecRecords::user);
                case "args" -> args = strings(in);
                case "env" -> env = strings(in);
                case "cwd" -> cwd = in.string();
                case "capabilities" -> capabilities = in.object(SpecRecords::capabilities);
                case "rlimits" -> rlimits = in.list(element -> element.requiredObject(SpecRecords::rlimit));
                case "noNewPrivileges" -> noNewPrivileges = in.bool();
                case "apparmorProfile" -> apparmorProfile = in.string();
                case "oomScoreAdj" -> oomScoreAdj = in.int32();
                case "scheduler" -> scheduler = in.object(SpecRecords::scheduler);
                case "selinuxLabel" -> selinuxLabel = in.string();
                case "ioPriority" -> ioPriority = in.object(SpecRecords::ioPriority);
                default -> unknown.put(name, in.any());
            }
        }
        return new ProcessConfig(
                terminal,
                consoleSize,
                user,
                args,
                env,
                cwd,
                capabilities,
                rlimits,
                noNewPrivileges,
                apparmorProfile,
                oomScoreAdj,
                scheduler,
                selinuxLabel,
                ioPriority,
                unknown);
    }

    static Hooks hooks(JsonInput in) {
        List<Hooks.Hook> prestart = null;
        List<Hooks.Hook> createRuntime = null;
        List<Hooks.Hook> createContainer = null;
        List<Hooks.Hook> startContainer = null;
        List<Hooks.Hook> poststart = null;
        List<Hooks.Hook> poststop = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "prestart" -> prestart = hookList(in);
                case "createRuntime" -> createRuntime = hookList(in);
                case "createContainer" -> createContainer = hookList(in);
                case "startContainer" -> startContainer = hookList(in);
                case "poststart" -> poststart = hookList(in);
                case "poststop" -> poststop = hookList(in);
                default -> unknown.put(name, in.any());
            }
        }
        return new Hooks(prestart, createRuntime, createContainer, startContainer, poststart, poststop, unknown);
    }

    static Resources resources(JsonInput in) {
        List<Resources.DeviceRule> devices = null;
        Resources.Memory memory = null;
        Resources.Cpu cpu = null;
        Resources.Pids pids = null;
        Resources.BlockIo blockIO = null;
        List<Resources.HugepageLimit> hugepageLimits = null;
        Resources.Network network = null;
        Map<String, Resources.Rdma> rdma = null;
        Map<String, String> unified = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "devices" -> devices = in.list(element -> element.requiredObject(SpecRecords::deviceRule));
                case "memory" -> memory = in.object(SpecRecords::memory);
                case "cpu" -> cpu = in.object(SpecRecords::cpu);
                case "pids" -> pids = in.object(SpecRecords::pids);
                case "blockIO" -> blockIO = in.object(SpecRecords::blockIo);
                case "hugepageLimits" ->
                    hugepageLimits = in.list(element -> element.requiredObject(SpecRecords::hugepageLimit));
                case "network" -> network = in.object(SpecRecords::network);
                case "rdma" -> rdma = in.map(value -> value.requiredObject(SpecRecords::rdma));
                case "unified" -> unified = in.map(JsonInput::requiredString);
                default -> unknown.put(name, in.any());
            }
        }
        return new Resources(devices, memory, cpu, pids, blockIO, hugepageLimits, network, rdma, unified, unknown);
    }

    private static List<String> strings(JsonInput in) {
        return in.list(JsonInput::requiredString);
    }

    private static List<Hooks.Hook> hookList(JsonInput in) {
        return in.list(element -> element.requiredObject(SpecRecords::hook));
    }

    private static List<IdMapping> idMappings(JsonInput in) {
        return in.list(element -> element.requiredObject(SpecRecords::idMapping));
    }

    private static Root root(JsonInput in) {
        String path = null;
        Boolean readonly = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "path" -> path = in.string();
                case "readonly" -> readonly = in.bool();
                default -> unknown.put(name, in.any());
            }
        }
        return new Root(path, readonly, unknown);
    }

    private static Mount mount(JsonInput in) {
        String destination = null;
        String type = null;
        String source = null;
        List<String> options = null;
        List<IdMapping> uidMappings = null;
        List<IdMapping> gidMappings = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "destination" -> destination = in.string();
                case "type" -> type = in.string();
                case "source" -> source = in.string();
                case "options" -> options = strings(in);
                case "uidMappings" -> uidMappings = idMappings(in);
                case "gidMappings" -> gidMappings = idMappings(in);
                default -> unknown.put(name, in.any());
            }
        }
        return new Mount(destination, type, source, options, uidMappings, gidMappings, unknown);
    }

    private static IdMapping idMapping(JsonInput in) {
        long containerID = 0;
        long hostID = 0;
        long size = 0;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "containerID" -> containerID = in.requiredInt64();
                case "hostID" -> hostID = in.requiredInt64();
                case "size" -> size = in.requiredInt64();
                default -> unknown.put(name, in.any());
            }
        }
        return new IdMapping(containerID, hostID, size, unknown);
    }

    private static Hooks.Hook hook(JsonInput in) {
        String path = null;
        List<String> args = null;
        List<String> env = null;
        Integer timeout = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "path" -> path = in.string();
                case "args" -> args = strings(in);
                case "env" -> env = strings(in);
                case "timeout" -> timeout = in.int32();
                default -> unknown.put(name, in.any());
            }
        }
        return new Hooks.Hook(path, args, env, timeout, unknown);
    }

    private static ProcessConfig.ConsoleSize consoleSize(JsonInput in) {
        long height = 0;
        long width = 0;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "height" -> height = in.requiredInt64();
                case "width" -> width = in.requiredInt64();
                default -> unknown.put(name, in.any());
            }
        }
        return new ProcessConfig.ConsoleSize(height, width, unknown);
    }

    private static ProcessConfig.User user(JsonInput in) {
        long uid = 0;
        long gid = 0;
        Long umask = null;
        List<Long> additionalGids = null;
        String username = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "uid" -> uid = in.requiredInt64();
                case "gid" -> gid = in.requiredInt64();
                case "umask" -> umask = in.int64();
                case "additionalGids" -> additionalGids = in.list(JsonInput::requiredInt64);
                case "username" -> username = in.string();
                default -> unknown.put(name, in.any());
            }
        }
        return new ProcessConfig.User(uid, gid, umask, additionalGids, username, unknown);
    }

    private static ProcessConfig.Capabilities capabilities(JsonInput in) {
        List<String> bounding = null;
        List<String> effective = null;
        List<String> inheritable = null;
        List<String> permitted = null;
        List<String> ambient = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "bounding" -> bounding = strings(in);
                case "effective" -> effective = strings(in);
                case "inheritable" -> inheritable = strings(in);
                case "permitted" -> permitted = strings(in);
                case "ambient" -> ambient = strings(in);
                default -> unknown.put(name, in.any());
            }
        }
        return new ProcessConfig.Capabilities(bounding, effective, inheritable, permitted, ambient, unknown);
    }

    private static ProcessConfig.Rlimit rlimit(JsonInput in) {
        String type = null;
        Long hard = null;
        Long soft = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "type" -> type = in.string();
                case "hard" -> hard = in.uint64();
                case "soft" -> soft = in.uint64();
                default -> unknown.put(name, in.any());
            }
        }
        return new ProcessConfig.Rlimit(type, hard, soft, unknown);
    }

    private static ProcessConfig.Scheduler scheduler(JsonInput in) {
        String policy = null;
        Integer nice = null;
        Integer priority = null;
        List<String> flags = null;
        Long runtime = null;
        Long deadline = null;
        Long period = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "policy" -> policy = in.string();
                case "nice" -> nice = in.int32();
                case "priority" -> priority = in.int32();
                case "flags" -> flags = strings(in);
                case "runtime" -> runtime = in.uint64();
                case "deadline" -> deadline = in.uint64();
                case "period" -> period = in.uint64();
                default -> unknown.put(name, in.any());
            }
        }
        return new ProcessConfig.Scheduler(policy, nice, priority, flags, runtime, deadline, period, unknown);
    }

    private static ProcessConfig.IoPriority ioPriority(JsonInput in) {
        String ioClass = null;
        int priority = 0;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "class" -> ioClass = in.string();
                case "priority" -> priority = in.requiredInt32();
                default -> unknown.put(name, in.any());
            }
        }
        return new ProcessConfig.IoPriority(ioClass, priority, unknown);
    }

    private static Linux linux(JsonInput in) {
        List<IdMapping> uidMappings = null;
        List<IdMapping> gidMappings = null;
        Map<String, String> sysctl = null;
        Resources resources = null;
        String cgroupsPath = null;
        List<Linux.Namespace> namespaces = null;
        List<Linux.Device> devices = null;
        Seccomp seccomp = null;
        String rootfsPropagation = null;
        List<String> maskedPaths = null;
        List<String> readonlyPaths = null;
        String mountLabel = null;
        Linux.IntelRdt intelRdt = null;
        Linux.Personality personality = null;
        Map<String, Linux.TimeOffset> timeOffsets = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "uidMappings" -> uidMappings = idMappings(in);
                case "gidMappings" -> gidMappings = idMappings(in);
                case "sysctl" -> sysctl = in.map(JsonInput::requiredString);
                case "resources" -> resources = in.object(SpecRecords::resources);
                case "cgroupsPath" -> cgroupsPath = in.string();
                case "namespaces" -> namespaces = in.list(element -> element.requiredObject(SpecRecords::namespace));
                case "devices" -> devices = in.list(element -> element.requiredObject(SpecRecords::device));
                case "seccomp" -> seccomp = in.object(SpecRecords::seccomp);
                case "rootfsPropagation" -> rootfsPropagation = in.string();
                case "maskedPaths" -> maskedPaths = strings(in);
                case "readonlyPaths" -> readonlyPaths = strings(in);
                case "mountLabel" -> mountLabel = in.string();
                case "intelRdt" -> intelRdt = in.object(SpecRecords::intelRdt);
                case "personality" -> personality = in.object(SpecRecords::personality);
                case "timeOffsets" -> timeOffsets = in.map(value -> value.requiredObject(SpecRecords::timeOffset));
                default -> unknown.put(name, in.any());
            }
        }
        return new Linux(
                uidMappings,
                gidMappings,
                sysctl,
                resources,
                cgroupsPath,
                namespaces,
                devices,
                seccomp,
                rootfsPropagation,
                maskedPaths,
                readonlyPaths,
                mountLabel,
                intelRdt,
                personality,
                timeOffsets,
                unknown);
    }

    private static Linux.Namespace namespace(JsonInput in) {
        String type = null;
        String path = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "type" -> type = in.string();
                case "path" -> path = in.string();
                default -> unknown.put(name, in.any());
            }
        }
        return new Linux.Namespace(type, path, unknown);
    }

    private static Linux.Device device(JsonInput in) {
        String path = null;
        String type = null;
        Long major = null;
        Long minor = null;
        Long fileMode = null;
        Long uid = null;
        Long gid = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "path" -> path = in.string();
                case "type" -> type = in.string();
                case "major" -> major = in.int64();
                case "minor" -> minor = in.int64();
                case "fileMode" -> fileMode = in.int64();
                case "uid" -> uid = in.int64();
                case "gid" -> gid = in.int64();
                default -> unknown.put(name, in.any());
            }
        }
        return new Linux.Device(path, type, major, minor, fileMode, uid, gid, unknown);
    }

    private static Linux.IntelRdt intelRdt(JsonInput in) {
        String closID = null;
        String l3CacheSchema = null;
        String memBwSchema = null;
        Boolean enableCMT = null;
        Boolean enableMBM = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "closID" -> closID = in.string();
                case "l3CacheSchema" -> l3CacheSchema = in.string();
                case "memBwSchema" -> memBwSchema = in.string();
                case "enableCMT" -> enableCMT = in.bool();
                case "enableMBM" -> enableMBM = in.bool();
                default -> unknown.put(name, in.any());
            }
        }
        return new Linux.IntelRdt(closID, l3CacheSchema, memBwSchema, enableCMT, enableMBM, unknown);
    }

    private static Linux.Personality personality(JsonInput in) {
        String domain = null;
        List<String> flags = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "domain" -> domain = in.string();
                case "flags" -> flags = strings(in);
                default -> unknown.put(name, in.any());
            }
        }
        return new Linux.Personality(domain, flags, unknown);
    }

    private static Linux.TimeOffset timeOffset(JsonInput in) {
        Long secs = null;
        Long nanosecs = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "secs" -> secs = in.int64();
                case "nanosecs" -> nanosecs = in.int64();
                default -> unknown.put(name, in.any());
            }
        }
        return new Linux.TimeOffset(secs, nanosecs, unknown);
    }

    private static Seccomp seccomp(JsonInput in) {
        String defaultAction = null;
        Long defaultErrnoRet = null;
        List<String> architectures = null;
        List<String> flags = null;
        String listenerPath = null;
        String listenerMetadata = null;
        List<Seccomp.Syscall> syscalls = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "defaultAction" -> defaultAction = in.string();
                case "defaultErrnoRet" -> defaultErrnoRet = in.int64();
                case "architectures" -> architectures = strings(in);
                case "flags" -> flags = strings(in);
                case "listenerPath" -> listenerPath = in.string();
                case "listenerMetadata" -> listenerMetadata = in.string();
                case "syscalls" -> syscalls = in.list(element -> element.requiredObject(SpecRecords::syscall));
                default -> unknown.put(name, in.any());
            }
        }
        return new Seccomp(
                defaultAction,
                defaultErrnoRet,
                architectures,
                flags,
                listenerPath,
                listenerMetadata,
                syscalls,
                unknown);
    }

    private static Seccomp.Syscall syscall(JsonInput in) {
        List<String> names = null;
        String action = null;
        Long errnoRet = null;
        List<Seccomp.Arg> args = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "names" -> names = strings(in);
                case "action" -> action = in.string();
                case "errnoRet" -> errnoRet = in.int64();
                case "args" -> args = in.list(element -> element.requiredObject(SpecRecords::arg));
                default -> unknown.put(name, in.any());
            }
        }
        return new Seccomp.Syscall(names, action, errnoRet, args, unknown);
    }

    private static Seccomp.Arg arg(JsonInput in) {
        long index = 0;
        Long value = null;
        Long valueTwo = null;
        String op = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "index" -> index = in.requiredInt64();
                case "value" -> value = in.uint64();
                case "valueTwo" -> valueTwo = in.uint64();
                case "op" -> op = in.string();
                default -> unknown.put(name, in.any());
            }
        }
        return new Seccomp.Arg(index, value, valueTwo, op, unknown);
    }

    private static Resources.DeviceRule deviceRule(JsonInput in) {
        boolean allow = false;
        String type = null;
        Long major = null;
        Long minor = null;
        String access = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "allow" -> allow = in.requiredBool();
                case "type" -> type = in.string();
                case "major" -> major = in.int64();
                case "minor" -> minor = in.int64();
                case "access" -> access = in.string();
                default -> unknown.put(name, in.any());
            }
        }
        return new Resources.DeviceRule(allow, type, major, minor, access, unknown);
    }

    private static Resources.Memory memory(JsonInput in) {
        Long limit = null;
        Long reservation = null;
        Long swap = null;
        Long kernel = null;
        Long kernelTCP = null;
        Long swappiness = null;
        Boolean disableOOMKiller = null;
        Boolean useHierarchy = null;
        Boolean checkBeforeUpdate = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "limit" -> limit = in.int64();
                case "reservation" -> reservation = in.int64();
                case "swap" -> swap = in.int64();
                case "kernel" -> kernel = in.int64();
                case "kernelTCP" -> kernelTCP = in.int64();
                case "swappiness" -> swappiness = in.uint64();
                case "disableOOMKiller" -> disableOOMKiller = in.bool();
                case "useHierarchy" -> useHierarchy = in.bool();
                case "checkBeforeUpdate" -> checkBeforeUpdate = in.bool();
                default -> unknown.put(name, in.any());
            }
        }
        return new Resources.Memory(
                limit,
                reservation,
                swap,
                kernel,
                kernelTCP,
                swappiness,
                disableOOMKiller,
                useHierarchy,
                checkBeforeUpdate,
                unknown);
    }

    private static Resources.Cpu cpu(JsonInput in) {
        Long shares = null;
        Long quota = null;
        Long burst = null;
        Long period = null;
        Long realtimeRuntime = null;
        Long realtimePeriod = null;
        String cpus = null;
        String mems = null;
        Long idle = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "shares" -> shares = in.uint64();
                case "quota" -> quota = in.int64();
                case "burst" -> burst = in.uint64();
                case "period" -> period = in.uint64();
                case "realtimeRuntime" -> realtimeRuntime = in.int64();
                case "realtimePeriod" -> realtimePeriod = in.uint64();
                case "cpus" -> cpus = in.string();
                case "mems" -> mems = in.string();
                case "idle" -> idle = in.int64();
                default -> unknown.put(name, in.any());
            }
        }
        return new Resources.Cpu(
                shares, quota, burst, period, realtimeRuntime, realtimePeriod, cpus, mems, idle, unknown);
    }

    private static Resources.Pids pids(JsonInput in) {
        long limit = 0;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "limit" -> limit = in.requiredInt64();
                default -> unknown.put(name, in.any());
            }
        }
        return new Resources.Pids(limit, unknown);
    }

    private static Resources.BlockIo blockIo(JsonInput in) {
        Integer weight = null;
        Integer leafWeight = null;
        List<Resources.WeightDevice> weightDevice = null;
        List<Resources.ThrottleDevice> throttleReadBpsDevice = null;
        List<Resources.ThrottleDevice> throttleWriteBpsDevice = null;
        List<Resources.ThrottleDevice> throttleReadIOPSDevice = null;
        List<Resources.ThrottleDevice> throttleWriteIOPSDevice = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "weight" -> weight = in.int32();
                case "leafWeight" -> leafWeight = in.int32();
                case "weightDevice" ->
                    weightDevice = in.list(element -> element.requiredObject(SpecRecords::weightDevice));
                case "throttleReadBpsDevice" -> throttleReadBpsDevice = throttleDevices(in);
                case "throttleWriteBpsDevice" -> throttleWriteBpsDevice = throttleDevices(in);
                case "throttleReadIOPSDevice" -> throttleReadIOPSDevice = throttleDevices(in);
                case "throttleWriteIOPSDevice" -> throttleWriteIOPSDevice = throttleDevices(in);
                default -> unknown.put(name, in.any());
            }
        }
        return new Resources.BlockIo(
                weight,
                leafWeight,
                weightDevice,
                throttleReadBpsDevice,
                throttleWriteBpsDevice,
                throttleReadIOPSDevice,
                throttleWriteIOPSDevice,
                unknown);
    }

    private static List<Resources.ThrottleDevice> throttleDevices(JsonInput in) {
        return in.list(element -> element.requiredObject(SpecRecords::throttleDevice));
    }

    private static Resources.WeightDevice weightDevice(JsonInput in) {
        long major = 0;
        long minor = 0;
        Integer weight = null;
        Integer leafWeight = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "major" -> major = in.requiredInt64();
                case "minor" -> minor = in.requiredInt64();
                case "weight" -> weight = in.int32();
                case "leafWeight" -> leafWeight = in.int32();
                default -> unknown.put(name, in.any());
            }
        }
        return new Resources.WeightDevice(major, minor, weight, leafWeight, unknown);
    }

    private static Resources.ThrottleDevice throttleDevice(JsonInput in) {
        long major = 0;
        long minor = 0;
        Long rate = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "major" -> major = in.requiredInt64();
                case "minor" -> minor = in.requiredInt64();
                case "rate" -> rate = in.uint64();
                default -> unknown.put(name, in.any());
            }
        }
        return new Resources.ThrottleDevice(major, minor, rate, unknown);
    }

    private static Resources.HugepageLimit hugepageLimit(JsonInput in) {
        String pageSize = null;
        Long limit = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "pageSize" -> pageSize = in.string();
                case "limit" -> limit = in.uint64();
                default -> unknown.put(name, in.any());
            }
        }
        return new Resources.HugepageLimit(pageSize, limit, unknown);
    }

    private static Resources.Network network(JsonInput in) {
        Long classID = null;
        List<Resources.InterfacePriority> priorities = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "classID" -> classID = in.int64();
                case "priorities" ->
                    priorities = in.list(element -> element.requiredObject(SpecRecords::interfacePriority));
                default -> unknown.put(name, in.any());
            }
        }
        return new Resources.Network(classID, priorities, unknown);
    }

    private static Resources.InterfacePriority interfacePriority(JsonInput in) {
        String name = null;
        long priority = 0;
        var unknown = new LinkedHashMap<String, Object>();
        for (String member = in.nextMember(); member != null; member = in.nextMember()) {
            switch (member) {
                case "name" -> name = in.string();
                case "priority" -> priority = in.requiredInt64();
                default -> unknown.put(member, in.any());
            }
        }
        return new Resources.InterfacePriority(name, priority, unknown);
    }

    private static Resources.Rdma rdma(JsonInput in) {
        Long hcaHandles = null;
        Long hcaObjects = null;
        var unknown = new LinkedHashMap<String, Object>();
        for (String name = in.nextMember(); name != null; name = in.nextMember()) {
            switch (name) {
                case "hcaHandles" -> hcaHandles = in.int64();
                case "hcaObjects" -> hcaObjects = in.int64();
                default -> unknown.put(name, in.any());
            }
        }
        return new Resources.Rdma(hcaHandles, hcaObjects, unknown);
    }
}
