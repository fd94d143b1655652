package dev.canal.runtime.testing;

import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Defects of issue 13 that the mutation tests hit and that another part of the work fixes (the
 * reshaping of the spawn engines and the rootfs), kept apart so that each is named here once
 * and removed when its fix is merged.
 */
public final class KnownDefects {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * 13.3: without no_new_privs the seccomp filter is loaded before the change of user, and a
     * filter that refuses the clone child's later steps (one without syscalls, say) leaves it
     * unable even to report or exit: it dies of SIGSEGV, and create says only that.
     */
    private static final Pattern SECCOMP_TOO_EARLY =
            Pattern.compile("clone child \\d+ ended before its hold point \\(killed by SIG[A-Z]+\\)");

    private KnownDefects() {}

    /**
     * 13.2: a config without a mount namespace of its own is set up in the caller's, which
     * create pivot_roots. Such a variant is not run: it would move the test's own root.
     */
    public static boolean lacksItsOwnMountNamespace(String json) {
        JsonNode namespaces;
        try {
            namespaces = JSON.readTree(json).path("linux").path("namespaces");
        } catch (RuntimeException unreadable) {
            return false; // refused before anything happens
        }
        if (!namespaces.isArray()) {
            return namespaces.isMissingNode() || namespaces.isNull(); // otherwise refused as it is read
        }
        for (JsonNode namespace : namespaces) {
            JsonNode path = namespace.path("path");
            if (namespace.path("type").asString("").equals("mount")
                    && (path.isMissingNode()
                            || path.isNull()
                            || path.asString("x").isEmpty())) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code message} is 13.3's. */
    public static boolean isSeccompLoadedTooEarly(String message) {
        return message != null && SECCOMP_TOO_EARLY.matcher(message).matches();
    }
}
