package dev.canal.runtime.rootfs;

/**
 * Building the root filesystem failed on one item of the spec, named by its JSON path:
 * {@code mounts[3] (canalfs on /data): mount: ENODEV (No such device)}.
 */
public final class RootfsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RootfsException(String item, RuntimeException cause) {
        super(item + ": " + cause.getMessage(), cause);
    }
}
