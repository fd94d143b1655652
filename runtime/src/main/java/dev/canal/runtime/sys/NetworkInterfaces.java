package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Network interface flags through the classic ioctl(2) interface (netdevice(7)). A new network
 * namespace has only a loopback interface, and it starts down: without bringing it up, even
 * 127.0.0.1 is unreachable inside the container.
 */
public final class NetworkInterfaces {

    /**
     * {@code sizeof(struct ifreq)} on 64-bit Linux, written out (checked against jextract's by
     * WrittenOutLayoutsTest): jextract's struct class makes VarHandles for its arrays when
     * initialised, method handle classes spun at run time in every JVM (docs/start-time.md).
     */
    static final long IFREQ_SIZE = 40;

    private NetworkInterfaces() {}

    /** Sets IFF_UP on interface {@code name} in the calling thread's network namespace. */
    public static void up(String name) {
        // Any socket will do as a handle for interface ioctls; it belongs to the network
        // namespace of the thread that creates it.
        long socket = Syscall.call(
                "socket",
                "AF_INET",
                SyscallNumbers.SOCKET,
                linux_h.AF_INET(),
                linux_h.SOCK_DGRAM() | linux_h.SOCK_CLOEXEC(),
                0);
        try (var handle = OwnedFd.adopt((int) socket);
                var arena = Arena.ofConfined()) {
            MemorySegment request = arena.allocate(IFREQ_SIZE, Long.BYTES);
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(bytes, 0, request, ValueLayout.JAVA_BYTE, 0, bytes.length);
            ioctl(handle, linux_h.SIOCGIFFLAGS(), request, name);
            // ifr_flags is a short at the start of the union after the 16-byte name.
            long flagsOffset = linux_h.IFNAMSIZ();
            short flags = request.get(ValueLayout.JAVA_SHORT, flagsOffset);
            request.set(ValueLayout.JAVA_SHORT, flagsOffset, (short) (flags | linux_h.IFF_UP()));
            ioctl(handle, linux_h.SIOCSIFFLAGS(), request, name);
        }
    }

    /** ioctl(2) with a struct ifreq *. */
    private static void ioctl(OwnedFd socket, long request, MemorySegment ifreq, String name) {
        Syscall.call("ioctl", name, linux_h.SYS_ioctl(), socket.fd(), request, ifreq.address());
    }
}
