package dev.canal.runtime.cgroup;

/**
 * A cgroup operation the kernel refused or that did not finish: a write to a cgroup file, a
 * mkdir or rmdir, a freeze that never settled. The message names the file and the value:
 * {@code writing "max" to /sys/fs/cgroup/canal/x/pids.max: EINVAL (Invalid argument)}.
 */
public final class CgroupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CgroupException(String message) {
        super(message);
    }

    public CgroupException(String message, Throwable cause) {
        super(message, cause);
    }
}
