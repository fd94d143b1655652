package dev.canal.runtime.container;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A container's status, as the runtime-spec names them ({@code runtime.md#state}). */
public enum ContainerStatus {
    /** Being created: namespaces and rootfs are being set up. */
    CREATING,
    /** Created and held: its process waits before exec for {@code start}. */
    CREATED,
    /** Its process has called exec and runs the container's program. */
    RUNNING,
    /** Running, but every process of its cgroup is frozen ({@code pause}; runc's extra status). */
    PAUSED,
    /** Its process has exited (or its pid now names another process). */
    STOPPED;

    /** The spec's lowercase name: "created", also its JSON form in the state hooks read. */
    @JsonValue
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
