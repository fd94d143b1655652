package dev.canal.engine.build;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Build arguments with the classic builder's scoping (moby builder/dockerfile/buildargs.go):
 * <ul>
 *   <li>an ARG before the first FROM (a meta ARG) is visible to FROM lines only; a stage sees it
 *       after it declares it again ({@code ARG VERSION}), and then inherits its value;
 *   <li>an ARG inside a stage is visible from its line to the end of that stage;
 *   <li>{@code --build-arg NAME=VALUE} overrides a declared ARG's default, and is unused until
 *       some ARG declares it; the proxy variables (HTTP_PROXY, https_proxy, NO_PROXY ...) need
 *       no declaration;
 *   <li>ENV wins over ARG of the same name when words are expanded.
 * </ul>
 * One instance holds the meta ARGs; {@link #forStage()} gives each stage its own scope, which
 * shares the record of which build arguments were used.
 */
public final class BuildArgs {

    /** The build arguments docker predefines: usable in RUN without an ARG line. */
    public static final Set<String> PREDEFINED = Set.of(
            "HTTP_PROXY",
            "http_proxy",
            "HTTPS_PROXY",
            "https_proxy",
            "FTP_PROXY",
            "ftp_proxy",
            "NO_PROXY",
            "no_proxy",
            "ALL_PROXY",
            "all_proxy");

    private final Map<String, String> options;
    private final Map<String, String> meta;
    private final Set<String> referenced;
    // Declared in the current scope, name to default (null: no default).
    private final Map<String, String> declared = new LinkedHashMap<>();

    /**
     * @param options the {@code --build-arg} values; a null value is a {@code --build-arg NAME}
     *     whose NAME was not set in the client's environment, which docker treats as not given
     */
    public BuildArgs(Map<String, String> options) {
        this(new LinkedHashMap<>(options), new LinkedHashMap<>(), new HashSet<>());
    }

    private BuildArgs(Map<String, String> options, Map<String, String> meta, Set<String> referenced) {
        this.options = options;
        this.meta = meta;
        this.referenced = referenced;
    }

    /**
     * Takes a meta ARG (one before the first FROM), expanding its defaults with the meta ARGs
     * declared before it.
     */
    public void addMetaArg(Instruction.Arg arg, ShellLexer lexer) {
        for (KeyValue declaration : arg.expand(lexer, values()).declarations()) {
            declared.put(declaration.key(), declaration.value());
            meta.put(declaration.key(), declaration.value());
            referenced.add(declaration.key());
        }
    }

    /** The variables a FROM line expands: the meta ARGs and the predefined ones given. */
    public Map<String, String> metaValues() {
        return valuesOf(meta);
    }

    /** A fresh scope for a stage: no ARG declared yet, the meta ARGs ready to be inherited. */
    public BuildArgs forStage() {
        return new BuildArgs(options, meta, referenced);
    }

    /** Declares a stage's ARG; pass it expanded ({@link Instruction#expand}). */
    public void declare(Instruction.Arg arg) {
        for (KeyValue declaration : arg.declarations()) {
            declared.put(declaration.key(), declaration.value());
            referenced.add(declaration.key());
        }
    }

    /**
     * The declared ARGs that have a value here ({@code --build-arg}, else the default, else the
     * meta ARG's value), and the predefined ones given with {@code --build-arg}: the variables a
     * RUN sees besides its ENV.
     */
    public Map<String, String> values() {
        return valuesOf(declared);
    }

    /**
     * The variables instruction words expand from: the stage's environment ({@code NAME=VALUE}
     * entries, the base image's and ENV's) and then the ARG values it does not override.
     */
    public Map<String, String> variables(List<String> environment) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String entry : environment) {
            int equals = entry.indexOf('=');
            if (equals < 0) {
                variables.put(entry, "");
            } else {
                variables.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        values().forEach(variables::putIfAbsent);
        return variables;
    }

    /**
     * Whether {@code name} is a predefined proxy variable no ARG of this scope declared: docker
     * passes those to RUN but keeps them out of the image history and the build cache key, so a
     * proxy setting does not leak into an image or invalidate a cache.
     */
    public boolean isUndeclaredPredefined(String name) {
        return PREDEFINED.contains(name) && !declared.containsKey(name);
    }

    /**
     * Docker's warning for {@code --build-arg}s no ARG declared (the predefined ones aside):
     * {@code [Warning] One or more build-args [FOO] were not consumed}, to print at the end of a
     * build.
     */
    public Optional<String> unconsumedWarning() {
        Set<String> unused = new TreeSet<>(options.keySet());
        unused.removeAll(referenced);
        unused.removeAll(PREDEFINED);
        if (unused.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("[Warning] One or more build-args [" + String.join(" ", unused) + "] were not consumed");
    }

    private Map<String, String> valuesOf(Map<String, String> scope) {
        Set<String> names = new LinkedHashSet<>(scope.keySet());
        PREDEFINED.stream().sorted().forEach(names::add);
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : names) {
            String value = value(name, scope);
            if (value != null) {
                values.put(name, value);
            }
        }
        return values;
    }

    /** getBuildArg: --build-arg, else the scope's default, else the meta ARG's value; null if none. */
    private String value(String name, Map<String, String> scope) {
        String option = options.get(name);
        if (option != null) {
            return option;
        }
        String declaredValue = scope.get(name);
        if (declaredValue != null) {
            return declaredValue;
        }
        // An ARG without a default, or a predefined one not given: only a meta ARG can supply it.
        return scope.containsKey(name) || PREDEFINED.contains(name) ? meta.get(name) : null;
    }
}
