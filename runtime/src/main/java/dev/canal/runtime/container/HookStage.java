package dev.canal.runtime.container;

import dev.canal.runtime.oci.Hooks;
import java.util.List;
import java.util.function.Function;

/**
 * The points of the lifecycle where hooks run (config.md#posix-platform-hooks,
 * runtime.md#lifecycle), in the order they come, with where each runs.
 */
enum HookStage {
    /** Deprecated; run with createRuntime, just before it, as runc does. */
    PRESTART("prestart", Hooks::prestart),
    /** At create, after the mounts, before pivot_root, in the runtime's namespaces. */
    CREATE_RUNTIME("createRuntime", Hooks::createRuntime),
    /** Right after createRuntime, before pivot_root, in the container's namespaces. */
    CREATE_CONTAINER("createContainer", Hooks::createContainer),
    /** At start, before the program runs, in the container's namespaces. */
    START_CONTAINER("startContainer", Hooks::startContainer),
    /** At start, once the program runs, in the runtime's namespaces, before start returns. */
    POSTSTART("poststart", Hooks::poststart),
    /** At delete, once the container is gone, in the runtime's namespaces. */
    POSTSTOP("poststop", Hooks::poststop);

    private final String specName;
    private final Function<Hooks, List<Hooks.Hook>> select;

    HookStage(String specName, Function<Hooks, List<Hooks.Hook>> select) {
        this.specName = specName;
        this.select = select;
    }

    /** The name in config.json's {@code hooks} object: "createRuntime". */
    String specName() {
        return specName;
    }

    /** This stage's hooks in {@code hooks}, in the order they must run. */
    List<Hooks.Hook> of(Hooks hooks) {
        return select.apply(hooks);
    }
}
