package dev.canal.runtime.oci;

import java.util.List;
import java.util.Map;

/**
 * Programs the runtime runs at points of the container's lifecycle (config.md#posix-platform-hooks),
 * each given the container's state on stdin. {@code prestart} is deprecated in favour of the
 * three that split it: {@code createRuntime}, {@code createContainer} and {@code startContainer}.
 */
public record Hooks(
        List<Hook> prestart,
        List<Hook> createRuntime,
        List<Hook> createContainer,
        List<Hook> startContainer,
        List<Hook> poststart,
        List<Hook> poststop,
        @KeepUnknown Map<String, Object> unknownFields) {

    public Hooks {
        prestart = Immutable.list(prestart);
        createRuntime = Immutable.list(createRuntime);
        createContainer = Immutable.list(createContainer);
        startContainer = Immutable.list(startContainer);
        poststart = Immutable.list(poststart);
        poststop = Immutable.list(poststop);
        unknownFields = Immutable.map(unknownFields);
    }

    /** None at all: what a config.json without {@code hooks} has. */
    public static Hooks none() {
        return new Hooks(null, null, null, null, null, null, null);
    }

    /** The hooks as config.json writes them, for keeping beside a container's state. */
    public String toJson() {
        return HooksJson.write(this);
    }

    /** Reads what {@link #toJson} wrote. */
    public static Hooks parse(String json) {
        return SpecReader.parseHooks(json, "hooks.json");
    }

    /**
     * One hook: execv(3)-like {@code path} (absolute) and {@code args} (argv, including argv[0]),
     * its environment, and how many seconds it may run before it is killed.
     */
    public record Hook(
            String path,
            List<String> args,
            List<String> env,
            Integer timeout,
            @KeepUnknown Map<String, Object> unknownFields) {

        public Hook {
            args = Immutable.list(args);
            env = Immutable.list(env);
            unknownFields = Immutable.map(unknownFields);
        }
    }
}
