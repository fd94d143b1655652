package dev.canal.runtime.sys;

import dev.canal.bindings.linux.cmsghdr;
import dev.canal.bindings.linux.iovec;
import dev.canal.bindings.linux.linux_h;
import dev.canal.bindings.linux.msghdr;
import dev.canal.bindings.linux.sockaddr_un;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Passing a file descriptor to another process over an AF_UNIX socket (unix(7)): the way an OCI
 * runtime hands a container's terminal master to whoever asked with {@code --console-socket}
 * (podman's conmon, containerd's shim). The descriptor travels as {@code SCM_RIGHTS} ancillary
 * data of sendmsg(2); the receiver gets its own descriptor for the same open file.
 */
public final class UnixSockets {

    /** CMSG_ALIGN(sizeof(struct cmsghdr)) on 64-bit Linux: where a control message's data starts. */
    private static final long CMSG_HEADER = cmsghdr.__cmsg_data$offset();

    private UnixSockets() {}

    /**
     * Connects to the stream socket at {@code socketPath} and sends {@code descriptor} with
     * {@code name} as the message's bytes (runc sends the terminal's name, and receivers such
     * as conmon read one message and take its SCM_RIGHTS descriptor).
     */
    public static void sendDescriptor(String socketPath, OwnedFd descriptor, String name) {
        try (var arena = Arena.ofConfined();
                var socket = connect(socketPath, arena)) {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            MemorySegment data = arena.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, data, ValueLayout.JAVA_BYTE, 0, bytes.length);
            MemorySegment iov = arena.allocate(iovec.layout());
            iovec.iov_base(iov, data);
            iovec.iov_len(iov, Math.max(1, bytes.length));
            // One control message: cmsghdr, then the int descriptor; CMSG_SPACE rounds to 8 bytes.
            long controlLength = CMSG_HEADER + Integer.BYTES;
            MemorySegment control = arena.allocate((controlLength + 7) & ~7L, 8);
            cmsghdr.cmsg_len(control, controlLength);
            cmsghdr.cmsg_level(control, linux_h.SOL_SOCKET());
            cmsghdr.cmsg_type(control, linux_h.SCM_RIGHTS());
            control.set(ValueLayout.JAVA_INT, CMSG_HEADER, descriptor.fd());
            MemorySegment message = arena.allocate(msghdr.layout());
            msghdr.msg_iov(message, iov);
            msghdr.msg_iovlen(message, 1);
            msghdr.msg_control(message, control);
            msghdr.msg_controllen(message, control.byteSize());
            Syscall.call("sendmsg", socketPath, SyscallNumbers.SENDMSG, socket.fd(), message.address(), 0);
        }
    }

    private static OwnedFd connect(String socketPath, Arena arena) {
        byte[] path = socketPath.getBytes(StandardCharsets.UTF_8);
        MemorySegment address = arena.allocate(sockaddr_un.layout());
        if (path.length >= sockaddr_un.sun_path(address).byteSize()) {
            throw new IllegalArgumentException(
                    socketPath + ": too long for an AF_UNIX socket path (unix(7): 107 bytes)");
        }
        sockaddr_un.sun_family(address, (short) linux_h.AF_UNIX());
        MemorySegment.copy(path, 0, sockaddr_un.sun_path(address), ValueLayout.JAVA_BYTE, 0, path.length);
        OwnedFd socket = OwnedFd.adopt((int) Syscall.call(
                "socket",
                "AF_UNIX",
                SyscallNumbers.SOCKET,
                linux_h.AF_UNIX(),
                linux_h.SOCK_STREAM() | linux_h.SOCK_CLOEXEC(),
                0));
        try {
            Syscall.call(
                    "connect", socketPath, SyscallNumbers.CONNECT, socket.fd(), address.address(), address.byteSize());
            return socket;
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }
}
