package dev.canal.runtime.net;

import dev.canal.runtime.sys.Errno;

/**
 * The kernel refused a netlink request. The message names what Canal was doing, the errno and
 * the kernel's own explanation when it gave one (the extended ack, {@code NLMSGERR_ATTR_MSG}):
 * {@code create veth canal-1a2b (peer eth0): EEXIST (File exists): kernel says "..."}.
 */
public final class NetlinkException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;
    private final String kernelMessage;

    NetlinkException(String operation, int errno, String kernelMessage) {
        super(operation + ": " + Errno.name(errno) + " (" + Errno.description(errno) + ")"
                + (kernelMessage.isEmpty() ? "" : ": kernel says \"" + kernelMessage + "\""));
        this.operation = operation;
        this.errno = errno;
        this.kernelMessage = kernelMessage;
    }

    /** What Canal asked for, for example {@code create bridge canal0}. */
    public String operation() {
        return operation;
    }

    /** The errno the kernel answered with, for example 17 (EEXIST). */
    public int errno() {
        return errno;
    }

    /** The kernel's extended ack message; empty when it gave none. */
    public String kernelMessage() {
        return kernelMessage;
    }
}
