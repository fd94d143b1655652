package dev.canal.runtime.seccomp;

import dev.canal.runtime.oci.Seccomp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Compiles config.json's {@code linux.seccomp} section (config-linux.md#seccomp) into a classic
 * BPF program for seccomp(2), without libseccomp: the section is checked and its names resolved
 * here, {@link BpfGenerator} writes the instructions.
 */
public final class SeccompCompiler {

    private static final String PATH = "linux.seccomp";
    private static final int MAX_ARG_INDEX = 5;

    /**
     * The last section compiled and its filter. A daemon compiles the same section, docker's
     * default profile, for nearly every container: about half a millisecond of CPU each time
     * once compiled by the JIT, and much of the JIT's work in a daemon's first containers. The
     * filter depends on nothing but the section (records compare by value), so it is reused.
     */
    private static final AtomicReference<Compiled> LAST = new AtomicReference<>();

    private record Compiled(Seccomp spec, SeccompProgram program) {}

    private SeccompCompiler() {}

    /**
     * The filter for {@code spec}.
     *
     * @throws InvalidSeccompException naming the JSON path of the first problem found
     */
    public static SeccompProgram compile(Seccomp spec) {
        Compiled last = LAST.get();
        if (last != null && last.spec().equals(spec)) {
            return last.program();
        }
        SeccompProgram program = BpfGenerator.generate(plan(spec));
        LAST.set(new Compiled(spec, program));
        return program;
    }

    static FilterPlan plan(Seccomp spec) {
        SeccompAction defaultAction = SeccompAction.parse(
                spec.defaultAction(), spec.defaultErrnoRet(), PATH + ".defaultAction", PATH + ".defaultErrnoRet");
        if (spec.listenerPath() != null) {
            throw new InvalidSeccompException(
                    PATH + ".listenerPath", "seccomp notify listeners (SCMP_ACT_NOTIFY) are not supported");
        }
        List<Arch> arches = arches(spec.architectures());
        int flags = 0;
        for (int i = 0; i < spec.flags().size(); i++) {
            flags |= FilterFlag.parse(spec.flags().get(i), PATH + ".flags[" + i + "]");
        }
        Map<Arch, Map<Integer, SyscallRules>> rules = new EnumMap<>(Arch.class);
        Map<Arch, Integer> highestNamed = new EnumMap<>(Arch.class);
        for (Arch arch : arches) {
            rules.put(arch, new LinkedHashMap<>());
            highestNamed.put(arch, -1);
        }
        for (int i = 0; i < spec.syscalls().size(); i++) {
            addRule(spec.syscalls().get(i), PATH + ".syscalls[" + i + "]", defaultAction, arches, rules, highestNamed);
        }
        return new FilterPlan(defaultAction, arches, rules, highestNamed, flags);
    }

    /** The native ABI, x86_64, always; then the ones config.json adds. */
    private static List<Arch> arches(List<String> names) {
        if (!"amd64".equals(System.getProperty("os.arch"))) {
            throw new InvalidSeccompException(
                    PATH, "Canal's seccomp compiler knows the x86 ABIs only, this is " + System.getProperty("os.arch"));
        }
        Set<Arch> arches = new LinkedHashSet<>(List.of(Arch.X86_64));
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String path = PATH + ".architectures[" + i + "]";
            arches.add(Arch.byOciName(name)
                    .orElseThrow(() -> new InvalidSeccompException(
                            path,
                            "unknown or unsupported architecture \"" + name + "\" (supported: "
                                    + Arrays.stream(Arch.values())
                                            .map(Arch::ociName)
                                            .collect(Collectors.joining(", ")) + ")")));
        }
        return List.copyOf(arches);
    }

    private static void addRule(
            Seccomp.Syscall syscall,
            String path,
            SeccompAction defaultAction,
            List<Arch> arches,
            Map<Arch, Map<Integer, SyscallRules>> rules,
            Map<Arch, Integer> highestNamed) {
        SeccompAction action =
                SeccompAction.parse(syscall.action(), syscall.errnoRet(), path + ".action", path + ".errnoRet");
        List<ArgCondition> conditions = new ArrayList<>();
        for (int i = 0; i < syscall.args().size(); i++) {
            conditions.add(condition(syscall.args().get(i), path + ".args[" + i + "]"));
        }
        if (syscall.names().isEmpty()) {
            throw new InvalidSeccompException(path + ".names", "must name at least one system call");
        }
        for (int i = 0; i < syscall.names().size(); i++) {
            String name = syscall.names().get(i);
            String namePath = path + ".names[" + i + "]";
            if (name == null) {
                throw new InvalidSeccompException(namePath, "missing");
            }
            if (!KnownSyscallNames.anyArchitectureHas(name)) {
                throw new InvalidSeccompException(namePath, "unknown system call \"" + name + "\"");
            }
            for (Arch arch : arches) {
                OptionalInt number = arch.table().number(name);
                if (number.isEmpty()) {
                    // libseccomp skips a call an ABI does not have: arch_prctl on i386, and
                    // the calls of other architectures only (pciconfig_iobase, send) on all.
                    continue;
                }
                int nr = number.getAsInt();
                highestNamed.merge(arch, nr, Math::max);
                // A rule whose action is the default changes nothing; libseccomp refuses it
                // (EACCES) and runc leaves such rules out, so Canal does too.
                if (!action.equals(defaultAction)) {
                    List<ArgCondition> forArch = arch.thirtyTwoBitArgs()
                            ? conditions.stream().map(ArgCondition::lowWord).toList()
                            : conditions;
                    rules.get(arch)
                            .computeIfAbsent(nr, n -> new SyscallRules())
                            .add(new Rule(forArch, action, path), name);
                }
            }
        }
    }

    private static ArgCondition condition(Seccomp.Arg arg, String path) {
        if (arg.index() < 0 || arg.index() > MAX_ARG_INDEX) {
            throw new InvalidSeccompException(
                    path + ".index", "must be 0 to 5 (a system call has six arguments), got " + arg.index());
        }
        CompareOp op = CompareOp.byOciName(arg.op())
                .orElseThrow(() -> new InvalidSeccompException(
                        path + ".op", arg.op() == null ? "missing" : "unknown comparison \"" + arg.op() + "\""));
        if (arg.value() == null) {
            throw new InvalidSeccompException(path + ".value", "missing");
        }
        long valueTwo = arg.valueTwo() == null ? 0 : arg.valueTwo();
        return new ArgCondition((int) arg.index(), op, arg.value(), valueTwo);
    }
}
