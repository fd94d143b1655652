package dev.canal.runtime.sys;

import static dev.canal.bindings.linux.linux_h.C_INT;
import static dev.canal.bindings.linux.linux_h.C_LONG;
import static dev.canal.bindings.linux.linux_h.C_POINTER;

import dev.canal.bindings.linux.ifreq;
import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * Network interface flags through the classic ioctl(2) interface (netdevice(7)). A new network
 * namespace has only a loopback interface, and it starts down: without bringing it up, even
 * 127.0.0.1 is unreachable inside the container.
 */
public final class NetworkInterfaces {

    // ioctl(2) is variadic: (int fd, unsigned long request, ...), here with a struct ifreq *.
    private static final MethodHandle IOCTL = Downcall.capturingErrnoVariadic(
            linux_h.ioctl.address(), FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_POINTER), 2);
    private static final MethodHandle SOCKET = Downcall.capturingErrno(
            "socket", FunctionDescriptor.of(linux_h.C_INT, linux_h.C_INT, linux_h.C_INT, linux_h.C_INT));

    private NetworkInterfaces() {}

    /** Sets IFF_UP on interface {@code name} in the calling thread's network namespace. */
    public static void up(String name) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            // Any socket will do as a handle for interface ioctls; it belongs to the network
            // namespace of the thread that creates it.
            int socket = Downcall.check(
                    (int) SOCKET.invokeExact(
                            state, linux_h.AF_INET(), linux_h.SOCK_DGRAM() | linux_h.SOCK_CLOEXEC(), 0),
                    state,
                    "socket",
                    "AF_INET");
            try (var handle = OwnedFd.adopt(socket)) {
                MemorySegment request = arena.allocate(ifreq.layout());
                byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
                MemorySegment.copy(bytes, 0, request, ValueLayout.JAVA_BYTE, 0, bytes.length);
                ioctl(state, handle, linux_h.SIOCGIFFLAGS(), request, name);
                // ifr_flags is a short at the start of the union after the 16-byte name.
                long flagsOffset = linux_h.IFNAMSIZ();
                short flags = request.get(ValueLayout.JAVA_SHORT, flagsOffset);
                request.set(ValueLayout.JAVA_SHORT, flagsOffset, (short) (flags | linux_h.IFF_UP()));
                ioctl(state, handle, linux_h.SIOCSIFFLAGS(), request, name);
            }
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    private static void ioctl(MemorySegment state, OwnedFd socket, long request, MemorySegment ifreq, String name)
            throws Throwable {
        Downcall.check((int) IOCTL.invokeExact(state, socket.fd(), request, ifreq), state, "ioctl", name);
    }
}
