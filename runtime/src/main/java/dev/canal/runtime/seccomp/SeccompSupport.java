package dev.canal.runtime.seccomp;

import dev.canal.runtime.sys.SeccompFilter;
import java.util.Arrays;
import java.util.List;

/**
 * What Canal's seccomp compiler understands, in config.json's names, read from the tables the
 * compiler itself uses: for the runtime-spec's features document (features-linux.md#seccomp).
 */
public final class SeccompSupport {

    private SeccompSupport() {}

    /** The {@code SCMP_ACT_*} actions, sorted. */
    public static List<String> actions() {
        return SeccompAction.ociNames().stream().sorted().toList();
    }

    /** The {@code SCMP_CMP_*} argument comparisons, sorted. */
    public static List<String> operators() {
        return Arrays.stream(CompareOp.values())
                .map(CompareOp::ociName)
                .sorted()
                .toList();
    }

    /** The {@code SCMP_ARCH_*} ABIs, sorted. */
    public static List<String> architectures() {
        return Arrays.stream(Arch.values()).map(Arch::ociName).sorted().toList();
    }

    /** The {@code SECCOMP_FILTER_FLAG_*} flags config.json may ask for. */
    public static List<String> knownFlags() {
        return Arrays.stream(FilterFlag.values()).map(FilterFlag::name).toList();
    }

    /** Those of {@link #knownFlags} the running kernel has. */
    public static List<String> supportedFlags() {
        return Arrays.stream(FilterFlag.values())
                .filter(flag -> SeccompFilter.kernelKnowsFlags(flag.bit))
                .map(FilterFlag::name)
                .toList();
    }
}
